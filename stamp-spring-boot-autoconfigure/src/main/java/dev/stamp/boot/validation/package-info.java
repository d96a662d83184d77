/**
 * Bean Validation support for the value types of Stamp's properties: the standard
 * {@code @Positive} and {@code @PositiveOrZero} constraints hold for
 * {@link java.time.Duration} and {@link org.springframework.util.unit.DataSize} too. The
 * validators are registered with the Bean Validation provider through
 * {@code META-INF/services}.
 */
@NullMarked
package dev.stamp.boot.validation;

import org.jspecify.annotations.NullMarked;
