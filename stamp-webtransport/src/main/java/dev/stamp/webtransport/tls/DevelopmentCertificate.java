package dev.stamp.webtransport.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed ECDSA P-256 certificate generated in memory for development.
 * <p>
 * Browsers accept it without a CA through {@code serverCertificateHashes} when it is
 * valid for less than 14 days, hence the default validity of {@link #DEFAULT_VALIDITY 10
 * days}. Built with the JDK only: a minimal DER encoder writes the TBSCertificate,
 * {@code SHA256withECDSA} signs it.
 */
public final class DevelopmentCertificate {

	/**
	 * Validity of generated certificates: below the 14 days browsers allow for
	 * hash-pinned certificates.
	 */
	public static final Duration DEFAULT_VALIDITY = Duration.ofDays(10);

	private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

	private static final String RSA_WITH_SHA256 = "1.2.840.113549.1.1.11";

	private final PrivateKey privateKey;

	private final X509Certificate certificate;

	private final byte[] sha256;

	private DevelopmentCertificate(PrivateKey privateKey, X509Certificate certificate) throws GeneralSecurityException {
		this.privateKey = privateKey;
		this.certificate = certificate;
		this.sha256 = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
	}

	/**
	 * Generates a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
	 * valid 10 days.
	 * @return a new certificate and its key
	 */
	public static DevelopmentCertificate generate() {
		return generate(List.of("localhost"), DEFAULT_VALIDITY);
	}

	/**
	 * Generates a certificate.
	 * @param dnsNames the DNS names of the subject alternative name extension (loopback
	 * addresses are added)
	 * @param validity how long it is valid from one hour ago (clock skew); keep it under
	 * 14 days for browsers
	 * @return a new certificate and its key
	 */
	public static DevelopmentCertificate generate(List<String> dnsNames, Duration validity) {
		return generate(dnsNames, validity, false);
	}

	/**
	 * Generates an RSA 2048 certificate signed with SHA256withRSA: for peers without
	 * ECDSA support and for testing RSA key material. Browsers do not accept RSA
	 * certificates through {@code serverCertificateHashes}.
	 * @param dnsNames the DNS names of the subject alternative name extension (loopback
	 * addresses are added)
	 * @param validity how long it is valid from one hour ago
	 * @return a new certificate and its key
	 */
	public static DevelopmentCertificate generateRsa(List<String> dnsNames, Duration validity) {
		return generate(dnsNames, validity, true);
	}

	private static DevelopmentCertificate generate(List<String> dnsNames, Duration validity, boolean rsa) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
			if (rsa) {
				generator.initialize(2048);
			}
			else {
				generator.initialize(new ECGenParameterSpec("secp256r1"));
			}
			KeyPair keyPair = generator.generateKeyPair();
			ZonedDateTime notBefore = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1);
			ZonedDateTime notAfter = notBefore.plus(validity);
			byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String("stamp-dev"))));
			// ecdsa-with-SHA256 has no parameters; sha256WithRSAEncryption has an
			// explicit NULL
			byte[] algorithm = rsa ? Der.sequence(Der.oid(RSA_WITH_SHA256), new byte[] { 0x05, 0x00 })
					: Der.sequence(Der.oid(ECDSA_WITH_SHA256));
			byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(BigInteger.TWO)),
					Der.integer(new BigInteger(64, new SecureRandom()).add(BigInteger.ONE)), algorithm, name,
					Der.sequence(Der.utcTime(notBefore), Der.utcTime(notAfter)), name, keyPair.getPublic().getEncoded(),
					Der.explicit(3, Der.sequence(extensions(dnsNames))));
			Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
			signer.initSign(keyPair.getPrivate());
			signer.update(tbs);
			byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
			X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
			certificate.verify(keyPair.getPublic());
			return new DevelopmentCertificate(keyPair.getPrivate(), certificate);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not generate a development certificate", ex);
		}
	}

	private static byte[][] extensions(List<String> dnsNames) throws GeneralSecurityException {
		try {
			byte[][] names = new byte[dnsNames.size() + 2][];
			for (int i = 0; i < dnsNames.size(); i++) {
				names[i] = Der.implicit(2, dnsNames.get(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			}
			names[dnsNames.size()] = Der.implicit(7, InetAddress.getByName("127.0.0.1").getAddress());
			names[dnsNames.size() + 1] = Der.implicit(7, InetAddress.getByName("::1").getAddress());
			byte[] subjectAltName = Der.sequence(Der.oid("2.5.29.17"), Der.octetString(Der.sequence(names)));
			byte[] basicConstraints = Der.sequence(Der.oid("2.5.29.19"), Der.bool(true),
					Der.octetString(Der.sequence()));
			// keyUsage digitalSignature (bit 0): BIT STRING with 7 unused bits, value
			// 0x80
			byte[] keyUsage = Der.sequence(Der.oid("2.5.29.15"), Der.bool(true),
					Der.octetString(new byte[] { 0x03, 0x02, 0x07, (byte) 0x80 }));
			byte[] extendedKeyUsage = Der.sequence(Der.oid("2.5.29.37"),
					Der.octetString(Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))));
			return new byte[][] { subjectAltName, basicConstraints, keyUsage, extendedKeyUsage };
		}
		catch (java.net.UnknownHostException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	public PrivateKey privateKey() {
		return this.privateKey;
	}

	public X509Certificate certificate() {
		return this.certificate;
	}

	/**
	 * SHA-256 of the DER certificate: what a page passes in
	 * {@code serverCertificateHashes}.
	 * @return the certificate's SHA-256 hash
	 */
	public byte[] sha256() {
		return this.sha256.clone();
	}

	/**
	 * {@link #sha256()} in base64.
	 * @return the hash in base64
	 */
	public String sha256Base64() {
		return Base64.getEncoder().encodeToString(this.sha256);
	}

	/**
	 * {@link #sha256()} in lower-case hex.
	 * @return the hash in hex
	 */
	public String sha256Hex() {
		return HexFormat.of().formatHex(this.sha256);
	}

	/**
	 * A key manager factory serving this certificate, for the QUIC TLS context.
	 * @return a new key manager factory
	 */
	public KeyManagerFactory keyManagerFactory() {
		return keyManagerFactory("");
	}

	/**
	 * A key manager factory serving this certificate, its key protected by
	 * {@code keyPassword}.
	 * @param keyPassword the password protecting the key
	 * @return a new key manager factory
	 */
	public KeyManagerFactory keyManagerFactory(String keyPassword) {
		try {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(null, null);
			char[] password = keyPassword.toCharArray();
			keyStore.setKeyEntry("stamp-dev", this.privateKey, password, new X509Certificate[] { this.certificate });
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(keyStore, password);
			return factory;
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new IllegalStateException("Could not build a key manager for the development certificate", ex);
		}
	}

}
