package dev.stamp.boot.routing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PathRouterTests {

	@Test
	void templateVariablesCaptureOneSegmentEach() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/users/{userId}/orders/{order-id}", "order");
		PathRouter.Match<String> match = router.match("/users/7/orders/42");
		assertThat(match.target()).isEqualTo("order");
		assertThat(match.pathVariables()).containsExactly(Map.entry("userId", "7"), Map.entry("order-id", "42"));
		assertThat(router.match("/users/7/orders/42/extra")).isNull();
		assertThat(router.match("/users/7/orders/")).as("a variable is never empty").isNull();
		assertThat(router.match("/users/7/8/orders/42")).isNull();
	}

	@Test
	void variablesCanSitBetweenLiteralsAndCarryARegex() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/files/{name}.{ext}", "file");
		router.add("/years/{year:\\d{4}}", "year");
		assertThat(router.match("/files/report.pdf").pathVariables()).containsExactly(Map.entry("name", "report"),
				Map.entry("ext", "pdf"));
		assertThat(router.match("/years/2026").pathVariables()).containsExactly(Map.entry("year", "2026"));
		assertThat(router.match("/years/26")).isNull();
	}

	@Test
	void aConstrainedVariableStillHoldsToItsSegment() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/a/{rest:.+}", "a");
		assertThat(router.match("/a/x").pathVariables()).containsExactly(Map.entry("rest", "x"));
		assertThat(router.match("/a/x/y")).isNull();
	}

	@Test
	void restVariableTakesTheTailWithItsLeadingSlashAndMayBeEmpty() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/static/{*path}", "static");
		assertThat(router.match("/static/css/site.css").pathVariables())
			.containsExactly(Map.entry("path", "/css/site.css"));
		assertThat(router.match("/static/").pathVariables()).containsExactly(Map.entry("path", "/"));
		assertThat(router.match("/static").pathVariables()).containsExactly(Map.entry("path", ""));
		assertThat(router.match("/staticx")).isNull();
		PathRouter<String> everything = new PathRouter<>();
		everything.add("/{*all}", "all");
		assertThat(everything.match("/").pathVariables()).containsExactly(Map.entry("all", "/"));
		assertThat(everything.match("/a/b").pathVariables()).containsExactly(Map.entry("all", "/a/b"));
	}

	@Test
	void regexRoutesExposeNamedGroupsOnly() {
		PathRouter<String> router = new PathRouter<>();
		router.add("~/users/(?<id>\\d+)(/(?<tab>[a-z]+))?", "user");
		assertThat(router.match("/users/12/posts").pathVariables()).containsExactly(Map.entry("id", "12"),
				Map.entry("tab", "posts"));
		assertThat(router.match("/users/12").pathVariables()).as("a group that took no part has no value")
			.containsExactly(Map.entry("id", "12"));
		assertThat(router.match("/users/12/extra/x")).isNull();
		assertThat(router.match("/prefix/users/12")).as("the whole path must match").isNull();
	}

	@Test
	void namedGroupsAreFoundPastEscapesClassesAndLookarounds() {
		assertThat(RoutePattern.namedGroups("\\(?<no>x)[(?<nor>)](?<=a)(?<!b)\\Q(?<quoted>\\E(?<yes>y)(?<also>z)"))
			.containsExactly("yes", "also");
	}

	@Test
	void mostSpecificRouteWinsWhateverTheOrderOfDeclaration() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/{*rest}", "catch-all");
		router.add("/users/{*rest}", "users tail");
		router.add("/users/{id}/{tab}", "two variables");
		router.add("~/users/(?<id>\\d+)/(?<tab>\\w+)/(?<more>\\w+)", "regex");
		router.add("/users/{id}", "one variable");
		router.add("/users/{id}/posts", "one variable, more literal");
		router.add("/users/me", "exact");
		assertThat(router.match("/users/me").target()).isEqualTo("exact");
		assertThat(router.match("/users/7").target()).isEqualTo("one variable");
		assertThat(router.match("/users/7/posts").target()).isEqualTo("one variable, more literal");
		assertThat(router.match("/users/7/likes").target()).isEqualTo("two variables");
		assertThat(router.match("/users/7/a/b").target()).as("regex before {*rest}").isEqualTo("regex");
		assertThat(router.match("/users/x/a/b").target()).as("longer {*rest} first").isEqualTo("users tail");
		assertThat(router.match("/other").target()).isEqualTo("catch-all");
	}

	@Test
	void regexRoutesKeepTheirDeclarationOrder() {
		PathRouter<String> router = new PathRouter<>();
		router.add("~/rooms/(?<name>\\w+)", "word");
		router.add("~/rooms/(?<all>.*)", "anything");
		assertThat(router.match("/rooms/kitchen").target()).isEqualTo("word");
		assertThat(router.match("/rooms/a/b").target()).isEqualTo("anything");
		assertThat(router.match("/elsewhere")).isNull();
	}

	@Test
	void samePathTwiceFailsNamingBothRoutes() {
		PathRouter<String> router = new PathRouter<>((target) -> "routes#" + target);
		router.add("/chat", "first");
		router.add("/users/{id}", "firstUser");
		router.add("~/x/(?<d>\\d)", "firstRegex");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/chat", "second"))
			.withMessage("Path /chat is routed twice: to routes#first and routes#second");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/users/{id}", "secondUser"))
			.withMessage("Path /users/{id} is routed twice: to routes#firstUser and routes#secondUser");
		assertThatIllegalStateException().isThrownBy(() -> router.add("~/x/(?<d>\\d)", "secondRegex"))
			.withMessageContaining("routed twice")
			.withMessageContaining("routes#firstRegex")
			.withMessageContaining("routes#secondRegex");
	}

	@Test
	void samePathWithOtherVariableNamesIsAmbiguous() {
		PathRouter<String> router = new PathRouter<>((target) -> "routes#" + target);
		router.add("/users/{id}", "byId");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/users/{name}", "byName"))
			.withMessageStartingWith("Routes /users/{id} (routes#byId) and /users/{name} (routes#byName) are ambiguous")
			.withMessageContaining("variable names included");
	}

	@Test
	void overlappingTemplatesOfEqualPrecedenceAreAmbiguous() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/a/{x}", "first");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/{y}/b", "second"))
			.withMessageContaining("/a/{x}")
			.withMessageContaining("/{y}/b")
			.withMessageContaining("more specific");
		PathRouter<String> constrained = new PathRouter<>();
		constrained.add("/users/{id:\\d+}", "numeric");
		assertThatIllegalStateException().isThrownBy(() -> constrained.add("/users/{name}", "any"))
			.as("a constraint does not make a variable more specific, as in Spring")
			.withMessageContaining("ambiguous");
	}

	@Test
	void templatesThatCannotMatchTheSamePathAreNotAmbiguous() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/a/{x}", "a");
		router.add("/b/{x}", "b");
		router.add("/files/{name}.png", "png");
		router.add("/files/{name}.jpg", "jpg");
		router.add("/files/{name}/raw", "raw");
		router.add("/a/{x}/{*rest}", "a tail");
		router.add("/b/{x}/{*rest}", "b tail");
		assertThat(router.match("/a/1").target()).isEqualTo("a");
		assertThat(router.match("/b/1").target()).isEqualTo("b");
		assertThat(router.match("/files/cat.png").target()).isEqualTo("png");
		assertThat(router.match("/files/cat.jpg").target()).isEqualTo("jpg");
		assertThat(router.match("/b/1/2/3").target()).isEqualTo("b tail");
	}

	@Test
	void invalidPathsAreRefusedWithTheReason() {
		PathRouter<String> router = new PathRouter<>();
		assertThatIllegalStateException().isThrownBy(() -> router.add("chat", "x"))
			.withMessageContaining("must start with '/'");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/static/**", "x"))
			.withMessageContaining("use {*name}");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/{*rest}/b", "x"))
			.withMessageContaining("whole last segment");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a{*rest}", "x"))
			.withMessageContaining("whole last segment");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/{id}/{id}", "x"))
			.withMessageContaining("'id' twice");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/{}", "x"))
			.withMessageContaining("variable named ''");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/{id", "x"))
			.withMessageContaining("without '}'");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/id}", "x"))
			.withMessageContaining("without '{'");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/a/{id:[}", "x"))
			.withMessageContaining("invalid regular expression");
		assertThatIllegalStateException().isThrownBy(() -> router.add("~/a/(", "x"))
			.withMessageContaining("not a valid regular expression");
	}

	@Test
	void literalTextIsMatchedLiterally() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/v1.0/{id}", "dotted");
		assertThat(router.match("/v1.0/3").target()).isEqualTo("dotted");
		assertThat(router.match("/v1x0/3")).isNull();
	}

	@Test
	void getFindsWhatAPathWasAddedWith() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/a", "exact");
		router.add("/b/{id}", "template");
		router.add("~/c/(?<d>\\d)", "regex");
		assertThat(router.get("/a")).isEqualTo("exact");
		assertThat(router.get("/b/{id}")).isEqualTo("template");
		assertThat(router.get("~/c/(?<d>\\d)")).isEqualTo("regex");
		assertThat(router.get("/b/1")).isNull();
		assertThat(router.targets()).containsExactly("exact", "template", "regex");
		assertThat(router.isEmpty()).isFalse();
		assertThat(new PathRouter<String>().isEmpty()).isTrue();
	}

}
