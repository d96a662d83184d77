package dev.stamp.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that, as a {@link StampRoute} method's parameter, tells which protocol the
 * route serves, so that {@link StampProtocol#inferFrom} needs no list of class names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StampProtocolParameter {

	/**
	 * The protocol a route taking the annotated type serves.
	 * @return the protocol; never {@link StampProtocol#INFERRED}
	 */
	StampProtocol value();

}
