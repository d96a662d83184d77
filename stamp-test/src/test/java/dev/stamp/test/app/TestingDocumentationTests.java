package dev.stamp.test.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/testing.md} shows code that compiles and passes: its Java samples are the
 * sources of {@code com.example.RoutesTests} and {@code com.example.Routes} in this
 * module's tests, character for character (the docs indent with four spaces where the
 * sources have tabs).
 */
class TestingDocumentationTests {

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

	@Test
	void javaSamplesAreTheSourcesOfTheSampleTestAndItsRoutes() throws IOException {
		String docs = Files.readString(Path.of("../docs/testing.md"), StandardCharsets.UTF_8);
		List<String> samples = new ArrayList<>();
		Matcher block = JAVA_BLOCK.matcher(docs);
		while (block.find()) {
			samples.add(block.group(1));
		}
		assertThat(samples).containsExactly(source("RoutesTests"), source("Routes"));
	}

	private static String source(String className) throws IOException {
		return Files.readString(Path.of("src/test/java/com/example/" + className + ".java"), StandardCharsets.UTF_8)
			.replace("\t", "    ");
	}

}
