package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.core.jdbc.PerfDataSource;
import io.github.perfkit.testapps.orders.OrdersApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * N+1 over real HTTP: a controller reading a real H2 database one row at a time, through the DataSource the starter
 * wrapped; Perfkit's findings section, served over HTTP, lists the N+1 naming the statement and its call site.
 */
@SpringBootTest(classes = OrdersApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false"})
@DirtiesContext
class NPlusOneHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nPlusOneOverHttpIsListedAsAFindingNamingTheStatement() throws Exception {
        assertThat(dataSource).isInstanceOf(PerfDataSource.class);
        // The first request of a path may still be unnamed (its template is learned from it): send a few.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/customers/totals");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Integer.toString(OrdersApp.CUSTOMERS));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = get("/perf/api/sections?name=findings");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode findings = JSON.readTree(r.body()).path("sections").path("findings").path("findings");
            List<JsonNode> nPlusOne = new ArrayList<>();
            findings.forEach(f -> {
                if (f.path("category").asText().equals("n_plus_one")) {
                    nPlusOne.add(f);
                }
            });
            assertThat(nPlusOne).hasSize(1);
            JsonNode f = nPlusOne.get(0);
            assertThat(f.path("subject").asText()).containsIgnoringCase("from orders where customer_id = ?");
            assertThat(f.path("culprit").asText()).isEqualTo(OrdersApp.OrderRepository.class.getName()
                    + ".totalsOneByOne");
            assertThat(f.path("evidence").path("executionsInRequest").asInt()).isGreaterThan(10);
            assertThat(f.path("evidence").path("endpoint").asText()).contains("/customers/totals");
            assertThat(f.path("active").asBoolean()).isTrue();
        });
    }
}
