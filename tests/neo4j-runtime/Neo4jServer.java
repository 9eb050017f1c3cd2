// A Neo4j Community DBMS for paperkg's integration tests (tests/neo4j_server.py starts it).
//
//   java -cp CLASSPATH Neo4jServer.java HOME PORT [PLUGINS]
//
// Opens the DBMS whose home folder is HOME (a database bulk-imported into HOME/data/databases
// is served as it is), with Bolt on 127.0.0.1:PORT and no authentication, loads the procedure
// jars of PLUGINS (neosemantics), prints "ready" and runs until its standard input closes or it
// is sent SIGTERM. Run as a single source file: there is nothing to build.
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Neo4jServer {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // The tests' machine is small: a modest heap share for the page cache.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("n10s.*"));
        if (args.length > 2) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[2]).toAbsolutePath());
        }
        DatabaseManagementService dbms = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        System.out.println("ready bolt://127.0.0.1:" + port);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // ignore input: the server stops when its standard input closes
        }
        System.exit(0);
    }
}
