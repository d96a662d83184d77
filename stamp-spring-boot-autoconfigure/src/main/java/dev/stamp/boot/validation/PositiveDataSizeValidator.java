package dev.stamp.boot.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Positive;

import org.springframework.util.unit.DataSize;

/**
 * Validates {@link Positive @Positive} on a {@link DataSize}: at least one byte.
 * {@code null} is valid, as with every standard constraint.
 */
public class PositiveDataSizeValidator implements ConstraintValidator<Positive, DataSize> {

	@Override
	public boolean isValid(DataSize value, ConstraintValidatorContext context) {
		return value == null || value.toBytes() > 0;
	}

}
