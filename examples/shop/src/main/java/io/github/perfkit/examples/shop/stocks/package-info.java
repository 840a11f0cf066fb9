/** Live stock prices pushed over a monitored WebSocket channel. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop.stocks;
