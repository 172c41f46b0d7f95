package dev.mediaflow.testkit.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The fake MNS's certificate is one the JDK's X.509 parser accepts, self-signed, for its key. */
class SelfSignedCertificateTest {
  @Test
  void pem_isAValidSelfSignedX509v3Certificate_forTheSigningKey() throws Exception {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    SelfSignedCertificate c = SelfSignedCertificate.create("fake-mns", now);
    X509Certificate x =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(c.pem().getBytes(StandardCharsets.US_ASCII)));
    assertThat(x.getVersion()).isEqualTo(3);
    assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=fake-mns");
    assertThat(x.getIssuerX500Principal()).isEqualTo(x.getSubjectX500Principal());
    assertThat(x.getSigAlgName()).isEqualTo("SHA256withRSA");
    x.verify(x.getPublicKey()); // throws unless self-signed
    x.checkValidity(Date.from(now));

    Signature s = Signature.getInstance("SHA1withRSA");
    s.initSign(c.privateKey());
    s.update("POST\n".getBytes(StandardCharsets.UTF_8));
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA1withRSA");
    v.initVerify(x.getPublicKey());
    v.update("POST\n".getBytes(StandardCharsets.UTF_8));
    assertThat(v.verify(sig)).isTrue();
  }
}
