import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isLeafType,
  Kind,
  typeFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

// Shopify's calculated query cost and its leaky bucket. A scalar or enum costs 0, an object 1, a
// connection 2 plus `first` (or `last`) times the cost of one node, so nested connections multiply.
// The requested cost is the worst case, taken from the bucket before running; the actual cost
// counts what came back, and the difference is refunded.

export const MAX_SINGLE_QUERY_COST = 1000;

type Fragments = Record<string, FragmentDefinitionNode>;

type Walk = {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: Record<string, unknown>;
};

/** The fields selected on `type`, with inline fragments and fragment spreads flattened. */
function fieldsOf(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
): { node: FieldNode; parent: GraphQLCompositeType }[] {
  const out: { node: FieldNode; parent: GraphQLCompositeType }[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD)
      out.push({ node: selection, parent: type });
    else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : walk.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition
        ? typeFromAST(walk.schema, fragment.typeCondition)
        : type;
      if (!condition || !isCompositeType(condition)) continue;
      out.push(...fieldsOf(walk, fragment.selectionSet, condition));
    }
  }
  return out;
}

function fieldDef(
  parent: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return "getFields" in parent ? parent.getFields()[name] : undefined;
}

const isConnection = (typeName: string) => typeName.endsWith("Connection");

/** The requested (worst-case) cost of a selection on `type`. */
export function requestedCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
): number {
  let cost = 0;
  for (const { node, parent } of fieldsOf(walk, selectionSet, type)) {
    const def = fieldDef(parent, node.name.value);
    if (!def || !node.selectionSet) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named) || !isCompositeType(named)) continue;
    if (isConnection(named.name)) {
      const args = getArgumentValues(def, node, walk.variables);
      const size = Number(args.first ?? args.last ?? 0);
      cost += 2 + size * connectionNodeCost(walk, node.selectionSet, named);
    } else cost += 1 + requestedCost(walk, node.selectionSet, named);
  }
  return cost;
}

/** Cost of one node of a connection, selected through `nodes` or `edges { node }`; pageInfo is free. */
function connectionNodeCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  connection: GraphQLCompositeType,
): number {
  let cost = 0;
  for (const { node, parent } of fieldsOf(walk, selectionSet, connection)) {
    const def = fieldDef(parent, node.name.value);
    if (!def || !node.selectionSet) continue;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    if (node.name.value === "nodes")
      cost += 1 + requestedCost(walk, node.selectionSet, named);
    else if (node.name.value === "edges")
      for (const edge of fieldsOf(walk, node.selectionSet, named)) {
        const edgeDef = fieldDef(named, edge.node.name.value);
        const nodeType = edgeDef && getNamedType(edgeDef.type);
        if (
          edge.node.name.value === "node" &&
          edge.node.selectionSet &&
          nodeType &&
          isCompositeType(nodeType)
        )
          cost += 1 + requestedCost(walk, edge.node.selectionSet, nodeType);
      }
  }
  return cost;
}

/** The cost of what was actually returned: the same rules, counting the nodes that came back. */
export function actualCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  data: unknown,
): number {
  if (data === null || typeof data !== "object") return 0;
  const record = data as Record<string, unknown>;
  let cost = 0;
  for (const { node, parent } of fieldsOf(walk, selectionSet, type)) {
    const def = fieldDef(parent, node.name.value);
    if (!def || !node.selectionSet) continue;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    const value = record[node.alias?.value ?? node.name.value];
    if (value === null || value === undefined) continue;
    if (isConnection(named.name)) {
      cost += 2;
      const connection = value as Record<string, unknown>;
      for (const inner of fieldsOf(walk, node.selectionSet, named)) {
        const innerDef = fieldDef(named, inner.node.name.value);
        const innerType = innerDef && getNamedType(innerDef.type);
        const list =
          connection[inner.node.alias?.value ?? inner.node.name.value];
        if (
          !inner.node.selectionSet ||
          !innerType ||
          !isCompositeType(innerType) ||
          !Array.isArray(list)
        )
          continue;
        if (inner.node.name.value === "nodes")
          for (const item of list)
            cost +=
              1 + actualCost(walk, inner.node.selectionSet, innerType, item);
        else if (inner.node.name.value === "edges")
          for (const edge of list)
            cost += actualCost(walk, inner.node.selectionSet, innerType, edge);
      }
    } else if (Array.isArray(value))
      for (const item of value)
        cost += 1 + actualCost(walk, node.selectionSet, named, item);
    else cost += 1 + actualCost(walk, node.selectionSet, named, value);
  }
  return cost;
}

export type ThrottleStatus = {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
};

export type Bucket = {
  status: () => ThrottleStatus;
  /** Takes `cost` points if that many are available. */
  take: (cost: number) => boolean;
  refund: (points: number) => void;
  /** Empties the bucket, as if other calls had spent it. */
  drain: (leave?: number) => void;
};

/** A leaky bucket of `size` points refilling at `restoreRate` points per second on `now()` (ms). */
export function createBucket(
  size: number,
  restoreRate: number,
  now: () => number,
): Bucket {
  let level = size;
  let at = now();
  const refill = () => {
    const t = now();
    level = Math.min(size, level + ((t - at) / 1000) * restoreRate);
    at = t;
  };
  return {
    status: () => {
      refill();
      return {
        maximumAvailable: size,
        currentlyAvailable: Math.floor(level),
        restoreRate,
      };
    },
    take: (cost) => {
      refill();
      if (cost > level) return false;
      level -= cost;
      return true;
    },
    refund: (points) => {
      refill();
      level = Math.min(size, level + points);
    },
    drain: (leave = 0) => {
      refill();
      level = Math.min(level, leave);
    },
  };
}
