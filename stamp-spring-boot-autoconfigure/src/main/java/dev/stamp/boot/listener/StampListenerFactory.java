package dev.stamp.boot.listener;

import java.util.List;
import java.util.function.Function;

import dev.stamp.boot.StampProtocol;

/**
 * Creates listeners of one protocol from their settings, with everything the protocol's
 * main listener shares (routes, route state, customizers); the
 * {@link StampListenerRegistry} uses it for {@code additional-listeners} and for
 * listeners added at run time. Each protocol's auto-configuration contributes one.
 *
 * @param <S> the protocol's settings type
 */
public final class StampListenerFactory<S extends ListenerSettings> {

	private final StampProtocol protocol;

	private final Class<S> settingsType;

	private final Function<S, ? extends AbstractStampListener> create;

	private final List<S> additionalListeners;

	/**
	 * Creates a factory.
	 * @param protocol the protocol of the listeners it creates
	 * @param settingsType the settings type the protocol's listeners take
	 * @param create creates one listener, not started, from its settings
	 * @param additionalListeners the settings of the configured
	 * {@code stamp.<protocol>.additional-listeners}
	 */
	public StampListenerFactory(StampProtocol protocol, Class<S> settingsType,
			Function<S, ? extends AbstractStampListener> create, List<S> additionalListeners) {
		this.protocol = protocol;
		this.settingsType = settingsType;
		this.create = create;
		this.additionalListeners = List.copyOf(additionalListeners);
	}

	/**
	 * The protocol of the listeners this factory creates.
	 * @return the protocol
	 */
	public StampProtocol protocol() {
		return this.protocol;
	}

	/**
	 * The settings of the configured {@code stamp.<protocol>.additional-listeners}.
	 * @return their settings, in order
	 */
	public List<S> additionalListeners() {
		return this.additionalListeners;
	}

	/**
	 * Creates a listener, not started.
	 * @param settings its settings, of the protocol's settings type
	 * @return the listener
	 * @throws IllegalArgumentException if the settings are of another protocol
	 */
	public AbstractStampListener create(ListenerSettings settings) {
		if (!this.settingsType.isInstance(settings)) {
			throw new IllegalArgumentException("A " + this.protocol.id() + " listener takes "
					+ this.settingsType.getSimpleName() + ", not " + settings.getClass().getSimpleName());
		}
		return this.create.apply(this.settingsType.cast(settings));
	}

}
