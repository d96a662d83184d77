/**
 * Stamp in Spring Boot Actuator: a {@code stamp} health contributor, Micrometer meters
 * per listener, and the {@code stamp} endpoint that lists listeners, routes and counters.
 */
@NullMarked
package dev.stamp.boot.actuate;

import org.jspecify.annotations.NullMarked;
