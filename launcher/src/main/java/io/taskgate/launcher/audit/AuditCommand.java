package io.taskgate.launcher.audit;

import io.taskgate.audit.AuditSinkConfig;
import io.taskgate.audit.chain.AuditVerifier;
import io.taskgate.audit.chain.ChainAnchor;
import io.taskgate.audit.chain.VerifyResult;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditStoreException;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail.",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Recompute the SHA-256 chain of the audit database (TASKGATE_AUDIT_JDBC_URL) over every",
                "column, and check it against its head record and the offsets the sink consumed.",
                "Exit 0 when intact; otherwise name the first altered or missing record and exit 1.",
                "Records, head and offsets all rewritten consistently still form a valid chain: keep the",
                "printed anchor (seq:hash) somewhere else and pass it as --anchor to detect that too."})
    public static final class Verify implements Callable<Integer> {
        @Option(names = "--anchor", paramLabel = "SEQ:HASH", description = "a head printed by an earlier verify that must still be there")
        String anchor;

        @Override
        public Integer call() {
            String url;
            ChainAnchor expected;
            try {
                url = AuditSinkConfig.jdbcUrl(ConfigSource.load(System.getenv()));
                expected = anchor == null ? null : parseAnchor(anchor);
            } catch (ConfigException | IllegalArgumentException e) {
                System.err.println("taskgate audit verify: " + e.getMessage());
                return 2;
            }
            try {
                AuditVerifier verifier = new AuditVerifier(AuditReader.open(url));
                VerifyResult result = expected == null ? verifier.verify() : verifier.verify(expected);
                if (result.ok()) {
                    System.out.println(result);
                    System.out.println("anchor: " + result.headSeq() + ":" + result.headHash());
                    return 0;
                }
                System.out.println("audit chain broken: " + result);
                return 1;
            } catch (AuditStoreException e) {
                System.err.println("taskgate audit verify: " + e.getMessage());
                return 2;
            }
        }

        private static ChainAnchor parseAnchor(String value) {
            int colon = value.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--anchor must be SEQ:HASH, as printed by an earlier verify");
            }
            return new ChainAnchor(Long.parseLong(value.substring(0, colon)), value.substring(colon + 1));
        }
    }
}
