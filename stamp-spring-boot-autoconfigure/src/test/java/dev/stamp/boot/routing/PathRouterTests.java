package dev.stamp.boot.routing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PathRouterTests {

	@Test
	void exactPathsWinOverPatternsAndPatternsMatchInOrder() {
		PathRouter<String> router = new PathRouter<>();
		router.add("~/rooms/(\\w+)", "room");
		router.add("/rooms/lobby", "lobby");
		router.add("~/rooms/(.*)", "anything");
		assertThat(router.match("/rooms/lobby")).isEqualTo(new PathRouter.Match<>("lobby", List.of()));
		assertThat(router.match("/rooms/kitchen")).isEqualTo(new PathRouter.Match<>("room", List.of("kitchen")));
		assertThat(router.match("/rooms/a/b")).isEqualTo(new PathRouter.Match<>("anything", List.of("a/b")));
		assertThat(router.match("/elsewhere")).isNull();
	}

	@Test
	void patternsMustMatchTheWholePath() {
		PathRouter<String> router = new PathRouter<>();
		router.add("~/users/(\\d+)", "user");
		assertThat(router.match("/users/12/extra")).isNull();
		assertThat(router.match("/prefix/users/12")).isNull();
	}

	@Test
	void duplicatesAndRelativePathsAreRejected() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/chat", "a");
		router.add("~/x/(\\d)", "b");
		assertThatIllegalStateException().isThrownBy(() -> router.add("/chat", "c")).withMessageContaining("/chat");
		assertThatIllegalStateException().isThrownBy(() -> router.add("~/x/(\\d)", "d"))
			.withMessageContaining("routed twice");
		assertThatIllegalStateException().isThrownBy(() -> router.add("chat", "e"))
			.withMessageContaining("must start with '/'");
	}

	@Test
	void getFindsWhatAPathOrPatternWasAddedWith() {
		PathRouter<String> router = new PathRouter<>();
		router.add("/a", "exact");
		router.add("~/b/(\\d)", "pattern");
		assertThat(router.get("/a")).isEqualTo("exact");
		assertThat(router.get("~/b/(\\d)")).isEqualTo("pattern");
		assertThat(router.get("/b/1")).isNull();
		assertThat(router.targets()).containsExactly("exact", "pattern");
	}

}
