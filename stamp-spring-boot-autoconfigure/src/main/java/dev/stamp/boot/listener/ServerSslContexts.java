package dev.stamp.boot.listener;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Turns a Spring Boot {@link SslBundle} into a Netty server {@link SslContext}: its key
 * managers serve the certificate, its trust managers (if the bundle has a trust store)
 * verify client certificates when they are sent, and its options restrict protocols and
 * ciphers.
 */
public final class ServerSslContexts {

	private ServerSslContexts() {
	}

	/**
	 * Builds a Netty server TLS context from an SSL bundle.
	 * @param bundle the bundle
	 * @return a server context for the bundle
	 * @throws IllegalStateException if the bundle cannot serve TLS
	 */
	public static SslContext fromBundle(SslBundle bundle) {
		try {
			SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory());
			if (bundle.getStores().getTrustStore() != null) {
				builder.trustManager(bundle.getManagers().getTrustManagerFactory()).clientAuth(ClientAuth.OPTIONAL);
			}
			SslOptions options = bundle.getOptions();
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			if (options.getCiphers() != null) {
				builder.ciphers(java.util.List.of(options.getCiphers()));
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("SSL bundle cannot serve TLS: " + ex.getMessage(), ex);
		}
	}

}
