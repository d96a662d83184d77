package dev.stamp.boot;

import org.springframework.boot.context.properties.PropertyMapper;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Maps the properties every listener has ({@code stamp.<protocol>.enabled}, {@code host},
 * {@code port}, {@code max-connections}, {@code idle-timeout}, {@code ssl.bundle}) onto
 * its {@link ListenerSettings}, for the protocols' auto-configurations, which map their
 * own properties after it.
 */
public final class ListenerSettingsMapper {

	private ListenerSettingsMapper() {
	}

	/**
	 * Copies the shared listener properties onto settings.
	 * @param properties the bound properties of one listener
	 * @param settings the settings to fill in
	 * @param <S> the settings type
	 * @return the settings given
	 */
	public static <S extends ListenerSettings> S map(StampProperties.Listener properties, S settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getEnabled).to(settings::setEnabled);
		map.from(properties::getHost).to(settings::setHost);
		map.from(properties::getPort).to(settings::setPort);
		map.from(properties::getMaxConnections).to(settings::setMaxConnections);
		// Unset means never close idle connections: a null overrides the protocol's
		// default.
		map.from(properties::getIdleTimeout).always().to(settings::setIdleTimeout);
		map.from(properties.getSsl()::getBundle).to(settings::setSslBundle);
		return settings;
	}

}
