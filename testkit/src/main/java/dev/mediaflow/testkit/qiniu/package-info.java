/**
 * A fake Qiniu: {@link dev.mediaflow.testkit.qiniu.FakeQiniuServer} routes; signature and upload
 * token checks, objects, uploads, processing and notifications each have a class; {@link
 * dev.mediaflow.testkit.qiniu.QiniuFops} parses fops as Qiniu reads them and reads them back into
 * operations.
 */
package dev.mediaflow.testkit.qiniu;
