package dev.stamp.boot.validation;

import java.time.Duration;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Validates {@link PositiveOrZero @PositiveOrZero} on a {@link Duration}: zero or longer.
 * {@code null} is valid, as with every standard constraint.
 */
public class PositiveOrZeroDurationValidator implements ConstraintValidator<PositiveOrZero, Duration> {

	@Override
	public boolean isValid(Duration value, ConstraintValidatorContext context) {
		return value == null || !value.isNegative();
	}

}
