import { Table, Td } from "@/components/ui/table";
import { formatMoney } from "@/lib/format";

type Props = {
  order: {
    currency: string;
    subtotalAmount: number;
    taxAmount: number;
    totalAmount: number;
    refundedAmount: number;
  };
  items: Array<{
    id: string;
    description: string;
    quantity: number;
    unitAmount: number;
    totalAmount: number;
  }>;
};

/** An order's lines and totals: subtotal, tax, total, and what was refunded. */
export function OrderSummary({ order, items }: Props) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const row = (label: string, value: string, strong = false) => (
    <tr key={label}>
      <th
        scope="row"
        colSpan={3}
        className={`px-4 py-2 text-right ${strong ? "font-semibold text-slate-900" : "font-normal text-slate-600"}`}
      >
        {label}
      </th>
      <Td align="right" className={strong ? "font-semibold" : "text-slate-600"}>
        {value}
      </Td>
    </tr>
  );
  return (
    <Table
      columns={[
        "Item",
        { label: "Qty", align: "right" },
        { label: "Price", align: "right" },
        { label: "Total", align: "right" },
      ]}
      footer={
        <>
          {row("Subtotal", money(order.subtotalAmount || order.totalAmount))}
          {row(
            "Tax",
            order.taxAmount > 0 ? money(order.taxAmount) : "Included in prices",
          )}
          {row(`Total (${order.currency})`, money(order.totalAmount), true)}
          {order.refundedAmount > 0
            ? row("Refunded", `− ${money(order.refundedAmount)}`)
            : null}
        </>
      }
    >
      {items.map((item) => (
        <tr key={item.id}>
          <Td
            dir="auto"
            className="max-w-md [overflow-wrap:anywhere] text-slate-900"
          >
            {item.description || "Item"}
          </Td>
          <Td align="right">{item.quantity}</Td>
          <Td align="right" className="whitespace-nowrap">
            {money(item.unitAmount)}
          </Td>
          <Td align="right" className="whitespace-nowrap">
            {money(item.totalAmount)}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
