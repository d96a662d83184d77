package dev.stamp.webtransport.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a server the way an https client must: the chain against a trust store, then
 * the server's name against the leaf certificate's subject alternative names.
 * <p>
 * The JDK's own trust manager insists on a handshake session when it is given an
 * {@link SSLEngine}, and the QUIC engine (BoringSSL) has none during verification (nor a
 * peer host), so every certificate would be refused. This adapter validates the chain
 * through the engine-free method and checks the expected host itself: DNS names (with a
 * single leading {@code *.} wildcard label) and IP addresses, as RFC 6125 and RFC 2818
 * describe. One instance serves one server name.
 */
public final class EndpointTrustManager extends X509ExtendedTrustManager {

	private static final int SAN_DNS = 2;

	private static final int SAN_IP = 7;

	private final X509TrustManager chainValidator;

	private final String host;

	/**
	 * Creates a trust manager for one server name.
	 * @param chainValidator validates certificate chains against a trust store
	 * @param host the server name the certificate must be for (a DNS name or an IP
	 * literal)
	 */
	public EndpointTrustManager(X509TrustManager chainValidator, String host) {
		this.chainValidator = chainValidator;
		this.host = host;
	}

	/**
	 * The adapter over the first X.509 trust manager of a factory, for one server name.
	 * @param factory the initialised trust manager factory
	 * @param host the server name the certificate must match
	 * @return the trust manager
	 */
	public static EndpointTrustManager of(TrustManagerFactory factory, String host) {
		for (TrustManager manager : factory.getTrustManagers()) {
			if (manager instanceof X509TrustManager x509) {
				return new EndpointTrustManager(x509, host);
			}
		}
		throw new IllegalArgumentException("The trust manager factory has no X.509 trust manager");
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.chainValidator.checkServerTrusted(chain, authType);
		verifyHost(chain[0], this.host);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		this.chainValidator.checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		this.chainValidator.checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.chainValidator.checkClientTrusted(chain, authType);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.chainValidator.getAcceptedIssuers();
	}

	static void verifyHost(X509Certificate certificate, String host) throws CertificateException {
		String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		boolean ipLiteral = isIpLiteral(name);
		for (List<?> entry : subjectAlternativeNames(certificate)) {
			int type = (Integer) entry.get(0);
			String value = (String) entry.get(1);
			if (ipLiteral && type == SAN_IP && sameAddress(name, value)) {
				return;
			}
			if (!ipLiteral && type == SAN_DNS && dnsMatches(name, value)) {
				return;
			}
		}
		throw new CertificateException("The server's certificate is not for " + host);
	}

	private static Collection<List<?>> subjectAlternativeNames(X509Certificate certificate)
			throws CertificateParsingException {
		Collection<List<?>> names = certificate.getSubjectAlternativeNames();
		return (names != null) ? names : List.of();
	}

	static boolean dnsMatches(String host, String pattern) {
		String name = host.toLowerCase(Locale.ROOT);
		String expected = pattern.toLowerCase(Locale.ROOT);
		if (!expected.startsWith("*.")) {
			return name.equals(expected);
		}
		int firstDot = name.indexOf('.');
		// A wildcard stands for exactly one label: *.example.com matches a.example.com,
		// not example.com or a.b.example.com.
		return firstDot > 0 && name.substring(firstDot).equals(expected.substring(1));
	}

	private static boolean isIpLiteral(String name) {
		return name.indexOf(':') >= 0 || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
	}

	private static boolean sameAddress(String literal, String sanValue) {
		try {
			// Both are literals, so no lookup happens; comparing parsed addresses handles
			// IPv6 spellings.
			return InetAddress.getByName(literal).equals(InetAddress.getByName(sanValue));
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
