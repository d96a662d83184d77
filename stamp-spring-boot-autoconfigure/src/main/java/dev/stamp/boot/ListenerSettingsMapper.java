package dev.stamp.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.PropertyMapper;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Maps the properties every listener has ({@code stamp.<protocol>.enabled}, {@code host},
 * {@code port}, {@code max-connections}, {@code idle-timeout}, {@code ssl.bundle}) onto
 * its {@link ListenerSettings}, for the protocols' auto-configurations, which map their
 * own properties after it; also maps {@code stamp.<protocol>.additional-listeners}.
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

	/**
	 * The settings of each of a protocol's {@code additional-listeners}: the main
	 * listener's settings, with what the additional listener sets on top.
	 * @param properties the bound properties of the main listener
	 * @param mainSettings creates the main listener's settings afresh, protocol settings
	 * included
	 * @param <S> the settings type
	 * @return the settings of every additional listener, in order
	 */
	public static <S extends ListenerSettings> List<S> mapAdditional(StampProperties.Listener properties,
			Supplier<S> mainSettings) {
		List<S> additional = new ArrayList<>();
		for (StampProperties.AdditionalListener listener : properties.getAdditionalListeners()) {
			S settings = mainSettings.get();
			PropertyMapper map = PropertyMapper.get();
			map.from(listener::getEnabled).to(settings::setEnabled);
			map.from(listener::getHost).to(settings::setHost);
			map.from(listener::getPort).to(settings::setPort);
			map.from(listener::getMaxConnections).to(settings::setMaxConnections);
			map.from(listener::getIdleTimeout).to(settings::setIdleTimeout);
			map.from(listener.getSsl()::getBundle).to(settings::setSslBundle);
			additional.add(settings);
		}
		return additional;
	}

}
