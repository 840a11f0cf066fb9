package io.github.perfkit.spring.starter;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A plain Spring MVC application: the starter, spring-boot-starter-web, nothing else (no Actuator, no Redis). */
@SpringBootApplication
public class PlainApp {

    /** One templated endpoint. */
    @RestController
    public static class Orders {
        /**
         * @param id an order id
         * @return a text
         */
        @GetMapping("/orders/{id}")
        public String order(@PathVariable("id") String id) {
            return "order " + id;
        }
    }
}
