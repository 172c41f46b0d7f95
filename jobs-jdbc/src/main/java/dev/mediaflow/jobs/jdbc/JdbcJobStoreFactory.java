package dev.mediaflow.jobs.jdbc;

import dev.mediaflow.job.JobStore;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Makes the {@link JdbcJobStore} that {@code media.jobs.store=jdbc} names, from {@code
 * media.jobs.jdbcUrl}, {@code media.jobs.jdbcUser} and the secret {@code media.jobs.jdbcPassword}.
 * Its connections come from {@link DriverManager}, a new one per operation: the database's JDBC
 * driver must be on the class path. For a connection pool, build the store in code with {@link
 * JdbcJobStore#create(DataSource)} and give it to {@code MediaClient.builder().jobStore(...)}.
 */
public final class JdbcJobStoreFactory implements JobStore.Factory {
  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public JobStore create(ProviderConfig jobs) {
    String url = jobs.require("jdbcUrl");
    String user = jobs.get("jdbcUser").orElse(null);
    Secret password = jobs.secret("jdbcPassword").orElse(null);
    return JdbcJobStore.create(new DriverManagerDataSource(url, user, password));
  }

  /** A data source opening each connection with {@link DriverManager}. */
  static final class DriverManagerDataSource implements DataSource {
    private final String url;
    private final String user;
    private final Secret password;
    private volatile int loginTimeout;

    DriverManagerDataSource(String url, String user, Secret password) {
      this.url = Objects.requireNonNull(url, "url");
      this.user = user;
      this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (user == null && password == null) {
        return DriverManager.getConnection(url);
      }
      return DriverManager.getConnection(url, user, password == null ? null : password.reveal());
    }

    @Override
    public Connection getConnection(String username, String pw) throws SQLException {
      return DriverManager.getConnection(url, username, pw);
    }

    @Override
    public PrintWriter getLogWriter() {
      return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
      loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper of " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }

    @Override
    public String toString() {
      return "DriverManagerDataSource(" + url + ")";
    }
  }
}
