package dev.mediaflow.testkit.oss;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * An RSA key pair and a self-signed X.509 v3 certificate for it, written with a minimal DER encoder
 * (RFC 5280 section 4.1: version, serial, sha256WithRSAEncryption, the same common name as issuer
 * and subject, a validity period and the public key), so the fake MNS can sign pushes with a
 * certificate of its own using only {@code java.security}. Immutable.
 */
final class SelfSignedCertificate {
  /** 1.2.840.113549.1.1.11, sha256WithRSAEncryption. */
  private static final byte[] SHA256_WITH_RSA = {
    0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0B
  };

  /** 2.5.4.3, commonName. */
  private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};

  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final KeyPair keys;
  private final byte[] der;

  private SelfSignedCertificate(KeyPair keys, byte[] der) {
    this.keys = keys;
    this.der = der;
  }

  /** Makes a 2048-bit RSA key and a certificate for {@code commonName} valid around {@code now}. */
  static SelfSignedCertificate create(String commonName, Instant now) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair keys = g.generateKeyPair();
      byte[] algorithm = seq(tlv(0x06, SHA256_WITH_RSA), tlv(0x05));
      byte[] name =
          seq(
              tlv(
                  0x31,
                  seq(
                      tlv(0x06, COMMON_NAME),
                      tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
      byte[] validity =
          seq(
              tlv(
                  0x17,
                  UTC_TIME.format(now.minusSeconds(86_400)).getBytes(StandardCharsets.US_ASCII)),
              tlv(
                  0x17,
                  UTC_TIME
                      .format(now.plusSeconds(10L * 365 * 86_400))
                      .getBytes(StandardCharsets.US_ASCII)));
      byte[] tbs =
          seq(
              tlv(0xA0, tlv(0x02, BigInteger.TWO.toByteArray())), // [0] version v3
              tlv(0x02, BigInteger.valueOf(now.toEpochMilli()).toByteArray()),
              algorithm,
              name,
              validity,
              name,
              keys.getPublic().getEncoded()); // SubjectPublicKeyInfo, DER already
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update(tbs);
      byte[] signature = s.sign();
      byte[] bits = new byte[signature.length + 1]; // no unused bits
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return new SelfSignedCertificate(keys, seq(tbs, algorithm, tlv(0x03, bits)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the fake MNS certificate", e);
    }
  }

  PrivateKey privateKey() {
    return keys.getPrivate();
  }

  /** Returns the certificate in PEM. */
  String pem() {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  /** One DER element: tag, definite length, contents. */
  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int n = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
