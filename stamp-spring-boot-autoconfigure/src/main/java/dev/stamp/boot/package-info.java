/**
 * Stamp's Spring Boot auto-configuration: {@link dev.stamp.boot.StampRoute} handlers, the
 * {@code stamp.*} properties and the listeners they configure, one package per protocol.
 */
@NullMarked
package dev.stamp.boot;

import org.jspecify.annotations.NullMarked;
