/**
 * A fake Tencent Cloud COS with Cloud Infinite: {@link dev.mediaflow.testkit.cos.FakeCosServer}
 * routes; the q-sign signature check, objects and uploads, Cloud Infinite jobs and callbacks each
 * have a class; {@code CosXml} reads the jobs' XML documents, which are parsed into Mediaflow's
 * neutral operations.
 */
package dev.mediaflow.testkit.cos;
