package dev.stamp.boot.webtransport;

import dev.stamp.webtransport.server.WebTransportServerConfig;

/**
 * Callback that customizes the configuration of the WebTransport engine that the
 * {@link WebTransportListener} starts. Customizers run after Stamp has applied its own
 * settings, so they may override them, in
 * {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface WebTransportServerCustomizer {

	/**
	 * Customizes the engine's configuration.
	 * @param config the configuration, filled in from {@code stamp.webtransport.*}
	 */
	void customize(WebTransportServerConfig.Builder config);

}
