package dev.stamp.sample;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} compiles as
 * shown, with its imports, against this module's test classpath (which has every Stamp
 * module and Spring Boot on it). The convention, described for contributors under
 * "Documentation" in {@code README.md}:
 * <ul>
 * <li>a block is a whole compilation unit (imports, then one or more types) and compiles
 * as is;</li>
 * <li>a block right after {@code <!-- fragment: members -->} holds fields and methods: it
 * is compiled inside a class, its leading {@code import} lines above that class;</li>
 * <li>a block right after {@code <!-- fragment: statements -->} holds statements: it is
 * compiled inside a method that may throw, its leading imports above;</li>
 * <li>a block right after {@code <!-- no-compile: reason -->} is not compiled, and the
 * reason must say why.</li>
 * </ul>
 */
class DocumentationSamplesTests {

	private static final Pattern BLOCK = Pattern
		.compile("(?:<!--\\s*(fragment|no-compile):\\s*([^>]*?)\\s*-->\\s*\\n)?```java\\n(.*?)```", Pattern.DOTALL);

	@TestFactory
	Stream<DynamicTest> everyJavaSampleCompiles() throws IOException {
		List<Sample> samples = new ArrayList<>();
		for (Path document : documents()) {
			samples.addAll(samples(document));
		}
		assertThat(samples).as("samples found in README.md and docs/").isNotEmpty();
		return samples.stream().map((sample) -> DynamicTest.dynamicTest(sample.name(), () -> {
			if (sample.skipReason() != null) {
				assertThat(sample.skipReason()).as("no-compile needs a reason").isNotBlank();
				return;
			}
			assertThat(compile(sample)).as("compiler errors for " + sample.name()).isEmpty();
		}));
	}

	@Test
	void aSampleWithoutItsImportsFailsAndAFragmentCompilesWrapped() throws IOException {
		Sample withoutImports = new Sample("missing imports", "@Component\nclass Routes {\n}\n", null, null);
		assertThat(compile(withoutImports)).singleElement().asString().contains("Component");
		Sample members = new Sample("members", """
				import dev.stamp.boot.StampRoute;
				import dev.stamp.boot.tcp.TcpConnection;

				@StampRoute
				void echo(TcpConnection connection) {
				    connection.send(connection.read(1024));
				}
				""", "members", null);
		assertThat(compile(members)).isEmpty();
	}

	private static List<Path> documents() throws IOException {
		Path root = repositoryRoot();
		List<Path> documents = new ArrayList<>();
		documents.add(root.resolve("README.md"));
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		return documents;
	}

	private static Path repositoryRoot() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isDirectory(directory.resolve("docs"))) {
			directory = directory.getParent();
		}
		assertThat(directory).as("a parent directory with docs/").isNotNull();
		return directory;
	}

	private static List<Sample> samples(Path document) throws IOException {
		String text = Files.readString(document, StandardCharsets.UTF_8);
		Path root = repositoryRoot();
		List<Sample> samples = new ArrayList<>();
		Matcher matcher = BLOCK.matcher(text);
		while (matcher.find()) {
			int line = 1 + (int) text.substring(0, matcher.start(3)).chars().filter((c) -> c == '\n').count();
			String name = root.relativize(document) + ":" + line;
			String kind = matcher.group(1);
			String detail = matcher.group(2);
			String code = matcher.group(3);
			if ("no-compile".equals(kind)) {
				samples.add(new Sample(name, code, null, detail));
			}
			else {
				samples.add(new Sample(name, code, "fragment".equals(kind) ? detail : null, null));
			}
		}
		// A Java fence spelled any other way ("```Java", "```java " ...) would silently
		// escape the check.
		long javaFences = text.lines()
			.filter((each) -> each.strip().toLowerCase(Locale.ROOT).startsWith("```java"))
			.count();
		assertThat(samples).as("every java block of " + root.relativize(document) + " is recognised")
			.hasSize((int) javaFences);
		return samples;
	}

	private static List<String> compile(Sample sample) throws IOException {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		Path output = Files.createTempDirectory("stamp-doc-sample");
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("-classpath", classpath(), "-d", output.toString(), "-proc:none",
					"-parameters", "-Xlint:none");
			JavaFileObject unit = new Source(sample.unitName(), sample.compilationUnit());
			StringWriter out = new StringWriter();
			compiler.getTask(out, files, diagnostics, options, null, List.of(unit)).call();
		}
		finally {
			try (Stream<Path> written = Files.walk(output)) {
				written.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
			}
		}
		return diagnostics.getDiagnostics()
			.stream()
			.filter((diagnostic) -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
			.map((diagnostic) -> "line " + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT))
			.toList();
	}

	/**
	 * Surefire may start the tests with a manifest-only jar: javac follows its
	 * {@code Class-Path} too.
	 */
	private static String classpath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * One sample.
	 *
	 * @param name where it is, {@code docs/file.md:line}
	 * @param code the block's text
	 * @param fragment {@code members} or {@code statements}, or {@code null} for a whole
	 * compilation unit
	 * @param skipReason why the block is not compiled, or {@code null}
	 */
	private record Sample(String name, String code, String fragment, String skipReason) {

		private static final Pattern PUBLIC_TYPE = Pattern.compile(
				"^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)", Pattern.MULTILINE);

		String compilationUnit() {
			if (this.fragment == null) {
				return this.code;
			}
			StringBuilder imports = new StringBuilder();
			StringBuilder body = new StringBuilder();
			boolean leading = true;
			for (String line : this.code.split("\n", -1)) {
				if (leading && (line.startsWith("import ") || line.isBlank())) {
					imports.append(line).append('\n');
					continue;
				}
				leading = false;
				body.append(line).append('\n');
			}
			return switch (this.fragment) {
				case "members" -> imports + "class DocumentationFragment {\n" + body + "}\n";
				case "statements" ->
					imports + "class DocumentationFragment {\nvoid run() throws Exception {\n" + body + "}\n}\n";
				default -> throw new IllegalStateException(
						this.name + ": unknown fragment kind '" + this.fragment + "', use members or statements");
			};
		}

		/** A public top-level type must live in a file of its name. */
		String unitName() {
			Matcher publicType = PUBLIC_TYPE.matcher(compilationUnit());
			return publicType.find() ? publicType.group(1) : "DocumentationSample";
		}

	}

	private static final class Source extends SimpleJavaFileObject {

		private final String code;

		Source(String typeName, String code) {
			super(URI.create("string:///" + typeName + Kind.SOURCE.extension), Kind.SOURCE);
			this.code = code;
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.code;
		}

	}

}
