package com.learncoin.gateway;

import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.WalletSigner;
import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.VerifyLimits;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.db.Database;
import com.learncoin.gateway.http.ConnectionLimits;
import com.learncoin.gateway.idempotency.IdempotencyHandler;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.issuance.Issuance;
import com.learncoin.gateway.issuance.IssuanceWorker;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.metrics.TimedSigner;
import com.learncoin.gateway.process.DataDirLock;
import com.learncoin.gateway.net.ClientAddress;
import com.learncoin.gateway.ratelimit.RateLimiter;
import com.learncoin.gateway.resilience.DependencyBreaker;
import com.learncoin.gateway.signing.Signers;
import com.learncoin.gateway.tenant.TenantStore;
import com.learncoin.gateway.webhook.WebhookDispatcher;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: database (embedded or by URL) and migrations, signer, chains, the pool,
 * the shared services, then the HTTP verticles, the issuance worker and the webhook dispatcher.
 * {@link #stop()} undoes it in reverse order.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long IDEMPOTENCY_SWEEP_MILLIS = 10 * 60 * 1000;
  private static final long BATCH_GAUGES_MILLIS = 5_000;
  private static final int ISSUANCE_WORKERS = 4;
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final Prepared prepared;
  private final Services services;
  /** The configured port; with 0, the one the HTTP servers were given once they listen. */
  private final AtomicInteger port;
  private String httpDeployment;
  private String workerDeployment;
  private String webhookDeployment;
  private long sweepTimer;

  private Gateway(Vertx vertx, Prepared prepared, Services services, AtomicInteger port) {
    this.vertx = vertx;
    this.prepared = prepared;
    this.services = services;
    this.port = port;
  }

  /** Where the keys come from: credential signing (gateway key, tenants' vault), chain wallet. */
  public record Keys(Function<Config, Signers.Signing> signing,
      Function<Config, WalletSigner> wallet) {
    /** As configured: local files, or Cloud KMS key versions with Google's default credentials. */
    public static Keys fromConfig() {
      return new Keys(Signers::fromConfig, Chains::wallet);
    }
  }

  public static Future<Gateway> start(Vertx vertx, Config config) {
    return start(vertx, config, Keys.fromConfig());
  }

  /** As {@link #start(Vertx, Config)}, with the keys made by {@code keys} (tests: a KMS fake). */
  public static Future<Gateway> start(Vertx vertx, Config config, Keys keys) {
    AtomicInteger port = new AtomicInteger(config.httpPort());
    return vertx.executeBlocking(() -> Prepared.open(config, keys)).compose(prepared -> {
      Pool pool = prepared.database().pool(vertx, config.dbPoolSize(),
          config.dbConnectionTimeoutMillis());
      Metrics metrics = Metrics.create(vertx, config);
      return ChangeFeed.start(vertx, prepared.database().connectOptions())
          .map(changes -> services(vertx, config, pool, changes, prepared, metrics, port))
          .map(services -> new Gateway(vertx, prepared, services, port))
          .compose(Gateway::deploy)
          .onFailure(e -> vertx.executeBlocking(() -> {
            prepared.close();
            return null;
          }));
    });
  }

  private static Services services(Vertx vertx, Config config, Pool pool, ChangeFeed changes,
      Prepared prepared, Metrics metrics, AtomicInteger port) {
    ApiKeyStore keys = new ApiKeyStore(vertx, pool, changes);
    TenantKeys tenantKeys = new TenantKeys(vertx, pool,
        TimedSigner.of(prepared.signing().vault(), metrics), changes);
    Issuance issuance = issuance(config, pool, prepared, tenantKeys, metrics, port);
    metrics.breaker(issuance.signerBreaker());
    issuance.networks().byName().values().forEach(n -> metrics.breaker(n.breaker()));
    metrics.pool(pool, config.dbPoolSize());
    return new Services(config, pool, changes, keys, new TenantStore(vertx, pool, keys, changes),
        tenantKeys, RateLimiter.create(vertx, config, prepared.database().connectOptions(), metrics),
        new IdempotencyHandler(vertx, pool, changes),
        new AuditLog(vertx, pool, config.auditFlushMillis()),
        AdminTokens.auth(vertx, prepared.adminSecret()),
        new ClientAddress(config.trustedProxies()), issuance, metrics);
  }

  private static Issuance issuance(Config config, Pool pool, Prepared prepared,
      TenantKeys tenantKeys, Metrics metrics, AtomicInteger port) {
    return new Issuance(pool, TimedSigner.of(prepared.signing().gatewayKey(), metrics), tenantKeys,
        new DependencyBreaker("signer", 2),
        prepared.proofs(), prepared.chains().networks(), prepared.signingThreads(),
        () -> config.publicBaseUrl(port.get()), config.confirmations(), config.maxPendingTx(),
        config.maxRoundBatches(), config.minWalletBalanceEth(), config.replaceAfterBlocks());
  }

  private Future<Gateway> deploy() {
    int instances = services.config().httpInstances() > 0 ? services.config().httpInstances()
        : Runtime.getRuntime().availableProcessors();
    // Port 0: a negative port makes Vert.x bind one port chosen by the OS at bind time and share it
    // among the instances with that same negative value (so each gateway in one Vert.x, as tests
    // run two nodes, takes its own). Choosing a free port first and binding it seconds later lost
    // it, now and then, to another socket in between: a failed start.
    int listen = port.get() == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : port.get();
    List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
    ConnectionLimits limits = new ConnectionLimits(services.config().httpMaxConnections(),
        services.config().httpMaxConnectionsPerClient());
    return vertx.deployVerticle(() -> {
      HttpVerticle server = new HttpVerticle(services, listen, limits);
      servers.add(server);
      return server;
    }, new DeploymentOptions().setInstances(instances))
        .compose(id -> {
          httpDeployment = id;
          port.set(servers.get(0).actualPort());
          // Several workers, as several nodes would: small batches are mostly database round trips.
          return vertx.deployVerticle(() -> new IssuanceWorker(services.issuance(),
              services.metrics()), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
              .setInstances(ISSUANCE_WORKERS));
        })
        .compose(id -> {
          workerDeployment = id;
          return vertx.deployVerticle(new WebhookDispatcher(services.pool(),
              services.config().webhooksAllowPrivateTargets(),
              services.config().webhookRetryBaseMillis(),
              services.config().webhookTenantConcurrency(), services.metrics()));
        })
        .map(id -> {
          webhookDeployment = id;
          services.metrics().watchBatches(vertx, services.pool(), BATCH_GAUGES_MILLIS);
          sweepTimer = vertx.setPeriodic(1_000, IDEMPOTENCY_SWEEP_MILLIS, t ->
              services.idempotency().sweep().onFailure(e ->
                  LOG.warn("Idempotency sweep failed: {}", e.getMessage())));
          return this;
        });
  }

  public int port() {
    return port.get();
  }

  public String adminSecret() {
    return prepared.adminSecret();
  }

  public Services services() {
    return services;
  }

  /** Stop accepting, finish in-flight requests and steps, flush the audit log, release the rest. */
  public Future<Void> stop() {
    vertx.cancelTimer(sweepTimer);
    return undeploy(httpDeployment)
        .eventually(() -> services.idempotency().drain())
        .eventually(() -> undeploy(workerDeployment))
        .eventually(() -> undeploy(webhookDeployment))
        .eventually(() -> {
          services.metrics().close();
          return services.audit().close();
        })
        .eventually(() -> services.rateLimiter().close())
        .eventually(() -> services.changes().close().eventually(services.pool()::close))
        .eventually(() -> vertx.executeBlocking(() -> {
          prepared.close();
          return null;
        }))
        .mapEmpty();
  }

  private Future<Void> undeploy(String deploymentId) {
    return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
  }

  /** What start-up prepares off the event loop, before any verticle runs. */
  private record Prepared(Optional<DataDirLock> lock, Database database, String adminSecret,
      Signers.Signing signing, DataIntegrityProofs proofs, Chains chains,
      ExecutorService signingThreads) {

    static Prepared open(Config config, Keys keys) {
      // The data dir runs children (embedded PostgreSQL, local chain nodes) only without URLs:
      // then it is this process's alone, or a second start would take them for leftovers.
      boolean ownsChildren = config.dbUrl().isEmpty() || Chains.usesLocalNodes(config);
      Optional<DataDirLock> lock = ownsChildren
          ? Optional.of(DataDirLock.acquire(config.dataDir())) : Optional.empty();
      Database database;
      try {
        database = Database.open(config);
      } catch (RuntimeException e) {
        lock.ifPresent(DataDirLock::close);
        throw e;
      }
      Chains chains = null;
      try {
        database.migrate();
        Signers.Signing signing = keys.signing().apply(config);
        chains = Chains.open(config, keys.wallet());
        return new Prepared(lock, database, AdminTokens.secret(config), signing,
            new DataIntegrityProofs(new VerifyLimits(config.verifyMaxBlankNodes(),
                config.verifyMaxQuads(), config.verifyMaxSteps(), config.verifyTimeoutMillis())),
            chains,
            Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors()));
      } catch (RuntimeException e) {
        if (chains != null) {
          chains.close();
        }
        database.close();
        lock.ifPresent(DataDirLock::close);
        throw e;
      }
    }

    void close() {
      signingThreads.shutdown();
      chains.close();
      database.close();
      lock.ifPresent(DataDirLock::close);
    }
  }
}
