import Link from "next/link";
import type { Order } from "@/db/schema";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { Table, Td } from "@/components/ui/table";
import { formatDate, formatMoney } from "@/lib/format";

type OrderRow = Pick<
  Order,
  | "id"
  | "number"
  | "placedAt"
  | "provider"
  | "status"
  | "totalAmount"
  | "currency"
>;

/** Orders as a table: number, date, how it was paid, status, total. `href` links each number. */
export function OrderTable({
  orders,
  href,
}: {
  orders: OrderRow[];
  href?: (order: OrderRow) => string;
}) {
  return (
    <Table
      columns={[
        "Order",
        "Placed",
        "Paid with",
        "Status",
        { label: "Total", align: "right" },
      ]}
    >
      {orders.map((order) => (
        <tr key={order.id}>
          <Td className="font-medium text-slate-900">
            {href ? (
              <Link
                href={href(order)}
                className="text-indigo-600 hover:text-indigo-500"
              >
                {order.number}
              </Link>
            ) : (
              order.number
            )}
          </Td>
          <Td className="whitespace-nowrap text-slate-600">
            {formatDate(order.placedAt)}
          </Td>
          <Td className="text-slate-600">{providerLabel(order.provider)}</Td>
          <Td>
            <OrderStatusBadge status={order.status} />
          </Td>
          <Td align="right" className="font-medium">
            {formatMoney(order.totalAmount, order.currency)}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
