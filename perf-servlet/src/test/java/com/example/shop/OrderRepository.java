package com.example.shop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Application code outside Perfkit's packages, so the JDBC wrapper names it as the N+1 call site. */
public final class OrderRepository {

    private OrderRepository() {}

    /**
     * The classic N+1: one query for the customers, then one query per customer for its orders.
     *
     * @param ds the data source
     * @return the summed order totals
     * @throws SQLException if a statement fails
     */
    public static long totalsOneByOne(DataSource ds) throws SQLException {
        long sum = 0;
        try (Connection c = ds.getConnection();
                Statement all = c.createStatement();
                ResultSet customers = all.executeQuery("select id from customers order by id");
                PreparedStatement orders = c.prepareStatement("select total from orders where customer_id = ?")) {
            while (customers.next()) {
                orders.setInt(1, customers.getInt(1));
                try (ResultSet rs = orders.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getInt(1);
                    }
                }
            }
        }
        return sum;
    }
}
