package dev.stamp.boot.validation;

import java.time.Duration;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Positive;

/**
 * Validates {@link Positive @Positive} on a {@link Duration}: longer than zero.
 * {@code null} is valid, as with every standard constraint.
 */
public class PositiveDurationValidator implements ConstraintValidator<Positive, Duration> {

	@Override
	public boolean isValid(Duration value, ConstraintValidatorContext context) {
		return value == null || (!value.isNegative() && !value.isZero());
	}

}
