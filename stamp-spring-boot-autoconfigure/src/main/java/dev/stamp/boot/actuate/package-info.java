/**
 * Stamp in Spring Boot Actuator: a {@code stamp} health contributor, Micrometer meters
 * per listener, and the {@code stamp} endpoint that lists listeners, routes and counters.
 */
package dev.stamp.boot.actuate;
