package dev.stamp.boot.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.util.unit.DataSize;

/**
 * Validates {@link PositiveOrZero @PositiveOrZero} on a {@link DataSize}: zero bytes or
 * more. {@code null} is valid, as with every standard constraint.
 */
public class PositiveOrZeroDataSizeValidator implements ConstraintValidator<PositiveOrZero, DataSize> {

	@Override
	public boolean isValid(DataSize value, ConstraintValidatorContext context) {
		return value == null || !value.isNegative();
	}

}
