package org.aemp.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The node's key and certificate chain, presented in both TLS roles whatever CAs the peer says it
 * trusts, as OpenSSL (and so Perl) does. The JDK's key manager, which Netty uses for both
 * implementations, sends no certificate at all when the issuers in the server's certificate
 * request do not match; the server then reports "peer did not return a certificate" instead of
 * the real problem, an untrusted CA. Thread-safe, as the JDK's key manager is.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;

    private NodeKeyManager(X509ExtendedKeyManager keys) {
        this.keys = keys;
    }

    /** A key manager holding one key and its chain (own certificate first). */
    static NodeKeyManager of(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        char[] password = new char[0]; // an in-memory store that is never written anywhere
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an empty key store: " + e.getMessage(), e);
        }
        store.setKeyEntry("node", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        for (KeyManager km : factory.getKeyManagers()) {
            if (km instanceof X509ExtendedKeyManager x) {
                return new NodeKeyManager(x);
            }
        }
        throw new GeneralSecurityException("the JDK's " + factory.getAlgorithm()
                + " key manager factory made no X509ExtendedKeyManager");
    }

    /** Ignores {@code issuers}: the peer decides whether it trusts the certificate. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return keys.chooseClientAlias(keyType, null, socket);
    }

    /** Ignores {@code issuers}: the peer decides whether it trusts the certificate. */
    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return keys.chooseEngineClientAlias(keyType, null, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keys.chooseServerAlias(keyType, null, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return keys.chooseEngineServerAlias(keyType, null, engine);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }
}
