package dev.stamp.webtransport.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server whose leaf certificate has one of the given SHA-256 hashes, the way
 * browsers implement {@code serverCertificateHashes}. Used by the Java client to reach
 * servers with development certificates.
 */
public final class CertificateHashTrustManager implements X509TrustManager {

	private final List<byte[]> hashes;

	public CertificateHashTrustManager(List<byte[]> sha256Hashes) {
		if (sha256Hashes.isEmpty()) {
			throw new IllegalArgumentException("At least one certificate hash is needed");
		}
		this.hashes = new ArrayList<>();
		for (byte[] hash : sha256Hashes) {
			this.hashes.add(hash.clone());
		}
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateException("Server sent no certificate");
		}
		byte[] actual;
		try {
			actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
		}
		catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
			throw new CertificateException(ex);
		}
		for (byte[] expected : this.hashes) {
			if (MessageDigest.isEqual(expected, actual)) {
				chain[0].checkValidity();
				return;
			}
		}
		throw new CertificateException("Server certificate hash does not match any pinned hash");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("Client certificates are not trusted by hash");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

}
