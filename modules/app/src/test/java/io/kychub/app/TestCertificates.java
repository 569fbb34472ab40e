package io.kychub.app;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and node certificates (EC P-256, PEM files) for the event bus's mutual TLS in tests. */
final class TestCertificates {

  /** The PEM files one node is configured with. */
  record NodeFiles(Path cert, Path key, Path ca) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;

  TestCertificates(Path dir, String caName) throws Exception {
    this.dir = dir;
    this.caKeys = keyPair();
    X500Name name = new X500Name("CN=" + caName);
    X509v3CertificateBuilder builder = builder(name, name, caKeys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(builder, caKeys);
    this.caFile = write(dir.resolve(caName + "-ca.pem"), ca);
  }

  /** A certificate for a node on 127.0.0.1, signed by this CA. */
  NodeFiles node(String nodeName) throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder = builder(new X500Name(ca.getSubjectX500Principal().getName()),
        new X500Name("CN=" + nodeName), keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate cert = sign(builder, caKeys);
    Path certFile = write(dir.resolve(nodeName + "-cert.pem"), cert);
    Path keyFile = write(dir.resolve(nodeName + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null).generate());
    return new NodeFiles(certFile, keyFile, caFile);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static Path write(Path file, Object pemObject) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pemObject);
    }
    return Files.writeString(file, text.toString());
  }
}
