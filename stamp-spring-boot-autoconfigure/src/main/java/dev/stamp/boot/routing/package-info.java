/**
 * Discovery of {@link dev.stamp.boot.StampRoute} methods and the pieces every protocol
 * uses to route to them and call them.
 */
@NullMarked
package dev.stamp.boot.routing;

import org.jspecify.annotations.NullMarked;
