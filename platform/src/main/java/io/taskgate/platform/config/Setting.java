package io.taskgate.platform.config;

/**
 * Every setting Taskgate reads, with its default and what it does. {@code taskgate --help} prints
 * this table, so it is the one place a setting is documented. In {@code taskgate.yaml} a setting
 * is written in lower case without the prefix: {@code TASKGATE_KAFKA_BOOTSTRAP} is {@code kafka_bootstrap}.
 */
public enum Setting {
    CONFIG("TASKGATE_CONFIG", "taskgate.yaml", false, "YAML file of settings; environment variables win over it"),
    DATA_DIR("TASKGATE_DATA_DIR", ".taskgate", false, "where taskgate dev keeps the broker, state stores and the SQLite audit file"),
    KAFKA_BOOTSTRAP("TASKGATE_KAFKA_BOOTSTRAP", "127.0.0.1:9092", false, "Kafka bootstrap servers (taskgate dev starts its own broker unless this is set)"),
    TOPIC_PREFIX("TASKGATE_TOPIC_PREFIX", "taskgate", false, "prefix of every topic name"),
    REGION("TASKGATE_REGION", "local", false, "region name stamped on metrics"),
    LOG_FORMAT("TASKGATE_LOG_FORMAT", "text", false, "log lines as text (for people) or json (one object a line, for log shippers)"),
    HOST("TASKGATE_HOST", "127.0.0.1", false, "address the HTTP servers bind to"),
    PORT("TASKGATE_PORT", "8080", false, "ingress HTTP port"),
    ADVERTISED_URL("TASKGATE_ADVERTISED_URL", "", false, "URL other ingress instances reach this one at (default http://HOST:PORT)"),
    ADMIN_TOKEN("TASKGATE_ADMIN_TOKEN", "", true, "bearer token of the admin API (taskgate dev generates one when unset)"),
    URL("TASKGATE_URL", "http://127.0.0.1:8080", false, "the ingress the admin commands (agents, tokens, policy, tasks) talk to"),
    TOKEN_HMAC_SECRET("TASKGATE_TOKEN_HMAC_SECRET", "", true, "HMAC key of access tokens, at least 32 bytes (taskgate dev generates one when unset)"),
    TOKEN_KID("TASKGATE_TOKEN_KID", "k1", false, "key id stamped in access tokens, for key rotation"),
    TOKEN_HMAC_PREVIOUS("TASKGATE_TOKEN_HMAC_PREVIOUS", "", true, "the previous HMAC key of access tokens: still accepted (never used to sign) until its tokens expire"),
    TOKEN_PREVIOUS_KID("TASKGATE_TOKEN_PREVIOUS_KID", "", false, "key id of TASKGATE_TOKEN_HMAC_PREVIOUS (required with it)"),
    ISSUER("TASKGATE_ISSUER", "taskgate", false, "issuer and audience of access tokens"),
    MAX_BODY_BYTES("TASKGATE_MAX_BODY_BYTES", "1048576", false, "largest request body ingress accepts"),
    CORS_ORIGINS("TASKGATE_CORS_ORIGINS", "", false, "comma list of browser origins (https://app.example.com, or *) allowed to call the task API; none by default"),
    TRUSTED_PROXIES("TASKGATE_TRUSTED_PROXIES", "", false, "comma list of proxy addresses or CIDRs whose X-Forwarded-For names the client; none by default"),
    HEADER_TIMEOUT_MS("TASKGATE_HEADER_TIMEOUT_MS", "10000", false, "time a client has to send a request's line and headers before ingress drops the connection"),
    READ_TIMEOUT_MS("TASKGATE_READ_TIMEOUT_MS", "60000", false, "longest silence while ingress reads a request before it drops the connection"),
    IDLE_TIMEOUT_MS("TASKGATE_IDLE_TIMEOUT_MS", "60000", false, "how long an idle kept-alive connection stays open"),
    TASK_RETENTION_HOURS("TASKGATE_TASK_RETENTION_HOURS", "168", false, "how long ingress keeps a task's status after its last change; GET answers 404 after that"),
    POLICY_FILE("TASKGATE_POLICY_FILE", "", false, "policy document (YAML or JSON) published at policy-stream start when it changed since last published"),
    POLICY_COMMIT_INTERVAL_MS("TASKGATE_POLICY_COMMIT_INTERVAL_MS", "20", false, "how often policy-stream commits its exactly-once transaction; workers see a decision only then, so it adds up to this much latency per task"),
    STATE_DIR("TASKGATE_STATE_DIR", "", false, "Kafka Streams state directory (default DATA_DIR/state)"),
    AUDIT_JDBC_URL("TASKGATE_AUDIT_JDBC_URL", "", false, "audit database (default jdbc:sqlite:DATA_DIR/audit.db; jdbc:postgresql://... in production)"),
    AUDIT_URL("TASKGATE_AUDIT_URL", "http://127.0.0.1:8081", false, "where ingress forwards GET /api/audit (the audit sink's HTTP port)"),
    AUDIT_PORT("TASKGATE_AUDIT_PORT", "8081", false, "audit sink HTTP port (/api/audit, /health, /metrics)"),
    POLICY_PORT("TASKGATE_POLICY_PORT", "8082", false, "policy-stream HTTP port (/health, /metrics)"),
    WORKER_PORT("TASKGATE_WORKER_PORT", "8083", false, "worker HTTP port (/health, /metrics); 0 picks a free one"),
    WORKER_POOL("TASKGATE_WORKER_POOL", "default", false, "the pool a worker serves"),
    WORKER_CONCURRENCY("TASKGATE_WORKER_CONCURRENCY", "64", false, "tasks one worker runs at once"),
    SHUTDOWN_GRACE_S("TASKGATE_SHUTDOWN_GRACE_S", "20", false, "on SIGTERM, how long a worker lets running tasks finish before handing the rest back uncommitted for another worker to run"),
    HTTP_TIMEOUT_MS("TASKGATE_HTTP_TIMEOUT_MS", "10000", false, "timeout of one outbound HTTP call by a tool"),
    HTTP_FETCH_ALLOW_PRIVATE("TASKGATE_HTTP_FETCH_ALLOW_PRIVATE", "false", false, "let http_fetch, webhooks and the outside services of serpapi, openai and email reach loopback, private and link-local addresses (tests only)"),
    HTTP_FETCH_ALLOW_CIDRS("TASKGATE_HTTP_FETCH_ALLOW_CIDRS", "", false, "comma list of address blocks http_fetch may reach although they are special-purpose, e.g. 10.20.0.0/16 for an internal API"),
    KEK_BASE64("TASKGATE_KEK_BASE64", "", true, "base64 of the 32-byte key that encrypts the tool secrets file DATA_DIR/secrets.enc (taskgate secrets)"),
    TOOLS("TASKGATE_TOOLS", "", false, "per-tool settings, e.g. {openai: {concurrency: 8, timeout_ms: 60000, retries: 3, cache_ttl_s: 0}} (a map in taskgate.yaml, JSON in the environment)"),
    TOOL_PLUGINS("TASKGATE_TOOL_PLUGINS", "", false, "directory of tool plug-in jars a worker loads, each in its own class loader (plug-ins on the class path load too)"),
    SERPAPI_URL("TASKGATE_SERPAPI_URL", "https://serpapi.com", false, "base URL of SerpAPI (serpapi.search; key: tool secret serpapi_api_key)"),
    OPENAI_BASE_URL("TASKGATE_OPENAI_BASE_URL", "https://api.openai.com/v1", false, "base URL of an OpenAI-compatible API (openai.chat; key: tool secret openai_api_key)"),
    OPENAI_MODEL("TASKGATE_OPENAI_MODEL", "gpt-4o-mini", false, "model of openai.chat when a task names none"),
    SMTP_HOST("TASKGATE_SMTP_HOST", "", false, "SMTP server of email.send (email.send fails while unset)"),
    SMTP_PORT("TASKGATE_SMTP_PORT", "587", false, "SMTP port of email.send"),
    SMTP_FROM("TASKGATE_SMTP_FROM", "", false, "sender address of email.send"),
    SMTP_USERNAME("TASKGATE_SMTP_USERNAME", "", false, "SMTP login of email.send (password: tool secret smtp_password); no login when unset"),
    SMTP_STARTTLS("TASKGATE_SMTP_STARTTLS", "required", false, "STARTTLS for email.send: required, optional or off"),
    WEBHOOK_ALLOW_HTTP("TASKGATE_WEBHOOK_ALLOW_HTTP", "false", false, "accept http:// callback URLs (https only by default)"),
    WEBHOOK_RETRY_SCHEDULE("TASKGATE_WEBHOOK_RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,10h", false, "delays between webhook attempts after the first (units ms, s, m, h)"),
    WEBHOOK_PORT("TASKGATE_WEBHOOK_PORT", "8084", false, "webhook deliverer HTTP port (/health, /metrics); 0 picks a free one"),
    WEBHOOK_TIMEOUT_MS("TASKGATE_WEBHOOK_TIMEOUT_MS", "15000", false, "how long a webhook receiver has to answer; a 2xx within it is success"),
    WEBHOOK_CONCURRENCY("TASKGATE_WEBHOOK_CONCURRENCY", "64", false, "webhook attempts one deliverer makes at once"),
    WEBHOOK_HOST_CONCURRENCY("TASKGATE_WEBHOOK_HOST_CONCURRENCY", "8", false, "webhook attempts one deliverer makes at once to one receiver host");

    private final String envName;
    private final String defaultValue;
    private final boolean secret;
    private final String description;

    Setting(String envName, String defaultValue, boolean secret, String description) {
        this.envName = envName;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
    }

    public String envName() {
        return envName;
    }

    /** The key of this setting in {@code taskgate.yaml}. */
    public String yamlKey() {
        return envName.substring("TASKGATE_".length()).toLowerCase(java.util.Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }
}
