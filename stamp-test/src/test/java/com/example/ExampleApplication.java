package com.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application that {@code docs/testing.md}'s sample test tests: the README's
 * {@link Routes}.
 */
@SpringBootApplication
public class ExampleApplication {

}
