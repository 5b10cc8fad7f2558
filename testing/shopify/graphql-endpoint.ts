import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  NoDeprecatedCustomRule,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from "graphql";
import {
  actualCost,
  MAX_SINGLE_QUERY_COST,
  requestedCost,
  type Bucket,
} from "@/testing/shopify/cost";
import { rootValue, type ResolveContext } from "@/testing/shopify/resolvers";
import { adminSchema } from "@/testing/shopify/schema";
import type { FakeShopState } from "@/testing/shopify/state";
import type { Fault } from "@/testing/shopify/switches";

// POST /admin/api/<version>/graphql.json: parse, validate, price, throttle, run, and answer the way
// Shopify does — HTTP 200 for anything GraphQL-level (validation errors, THROTTLED, ACCESS_DENIED,
// MAX_COST_EXCEEDED), with `extensions.cost` on every such answer.

export type JsonReply = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
};

export const INVALID_TOKEN_BODY = {
  errors:
    "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

const DEPRECATION_NOTICE =
  "https://shopify.dev/api/usage/versioning#deprecation-practices";

type CostExtension = {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ReturnType<Bucket["status"]>;
};

type Parsed = {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  deprecated: boolean;
};

// graphql-js's messages, mapped to the codes of graphql-ruby, the engine behind Shopify's API.
const VALIDATION_CODES: [RegExp, string][] = [
  [/^Cannot query field/, "undefinedField"],
  [/^Unknown argument/, "argumentNotAccepted"],
  [/argument ".*" of type .* is required/, "missingRequiredArguments"],
  [/^Variable ".*" of type .* used in position expecting/, "variableMismatch"],
  [/^Unknown type/, "undefinedType"],
  [/must have a selection of subfields/, "selectionMismatch"],
  [/must not have a selection since type/, "selectionMismatch"],
  [/^Variable ".*" is not defined/, "variableNotDefined"],
  [/^Variable ".*" is never used/, "variableNotUsed"],
  [/^Fragment ".*" is never used/, "useAndDefineFragment"],
  [
    /^(Expected value of type|.* cannot represent)/,
    "argumentLiteralsIncompatible",
  ],
];

function formatError(error: GraphQLError, code: string): GraphQLFormattedError {
  return {
    message: error.message,
    ...(error.locations && { locations: error.locations }),
    ...(error.path && { path: error.path }),
    extensions: { code, ...error.extensions },
  };
}

function errorsOnly(
  errors: GraphQLFormattedError[],
  cost: CostExtension,
): JsonReply {
  return { status: 200, body: { errors, extensions: { cost } } };
}

function parseRequest(
  query: string,
  operationName: string | undefined,
  rawVariables: Record<string, unknown> | undefined,
): Parsed | GraphQLFormattedError[] {
  const schema = adminSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError)
      return [formatError(error, "parseError")];
    throw error;
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0)
    return invalid.map((e) =>
      formatError(
        e,
        VALIDATION_CODES.find(([re]) => re.test(e.message))?.[1] ??
          "GRAPHQL_VALIDATION_FAILED",
      ),
    );
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== "query")
    return [
      {
        message: operation
          ? "This fake serves queries only."
          : "An operation name is required when the document has several operations.",
        extensions: { code: "OPERATION_NOT_FOUND" },
      },
    ];
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    rawVariables ?? {},
  );
  if (coerced.errors)
    return coerced.errors.map((e) => formatError(e, "INVALID_VARIABLE"));
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return {
    document,
    operation,
    fragments,
    variables: coerced.coerced,
    deprecated: validate(schema, document, [NoDeprecatedCustomRule]).length > 0,
  };
}

export function graphqlReply(input: {
  state: FakeShopState;
  bucket: Bucket;
  scopes: string[];
  body: unknown;
  fault: Fault | undefined;
}): JsonReply {
  const { state, bucket, scopes, fault } = input;
  const body = input.body as {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  } | null;
  if (!body || typeof body.query !== "string" || body.query.trim() === "")
    return {
      status: 400,
      body: { errors: { query: "Required parameter missing or invalid" } },
    };
  const parsed = parseRequest(
    body.query,
    typeof body.operationName === "string" ? body.operationName : undefined,
    body.variables && typeof body.variables === "object"
      ? (body.variables as Record<string, unknown>)
      : undefined,
  );
  if (Array.isArray(parsed))
    return errorsOnly(parsed, {
      requestedQueryCost: 0,
      actualQueryCost: 0,
      throttleStatus: bucket.status(),
    });

  const schema = adminSchema();
  const walk = {
    schema,
    fragments: parsed.fragments,
    variables: parsed.variables,
  };
  const root = schema.getQueryType();
  if (!root) throw new Error("fake shopify: schema without a query root");
  const requested = requestedCost(walk, parsed.operation.selectionSet, root);
  const headers: Record<string, string> = parsed.deprecated
    ? { "X-Shopify-API-Deprecated-Reason": DEPRECATION_NOTICE }
    : {};

  if (requested > MAX_SINGLE_QUERY_COST)
    return {
      ...errorsOnly(
        [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: {
              code: "MAX_COST_EXCEEDED",
              cost: requested,
              maxCost: MAX_SINGLE_QUERY_COST,
            },
          },
        ],
        {
          requestedQueryCost: requested,
          actualQueryCost: null,
          throttleStatus: bucket.status(),
        },
      ),
      headers,
    };

  if (fault?.kind === "THROTTLED" || !bucket.take(requested)) {
    if (fault?.kind === "THROTTLED") bucket.drain(Math.max(0, requested - 1));
    return {
      ...errorsOnly(
        [
          {
            message: "Throttled",
            extensions: {
              code: "THROTTLED",
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        {
          requestedQueryCost: requested,
          actualQueryCost: null,
          throttleStatus: bucket.status(),
        },
      ),
      headers,
    };
  }

  if (
    fault?.kind === "ACCESS_DENIED" ||
    fault?.kind === "PROTECTED_CUSTOMER_DATA"
  )
    return deniedReply(parsed, fault, requested, bucket, headers);

  const context: ResolveContext = { state, scopes, searchWarnings: [] };
  const result = execute({
    schema,
    document: parsed.document,
    operationName: parsed.operation.name?.value,
    rootValue: rootValue(context),
    variableValues: parsed.variables,
  });
  if ("then" in result)
    throw new Error("fake shopify: resolvers must be synchronous");
  const actual = actualCost(
    walk,
    parsed.operation.selectionSet,
    root,
    result.data ?? null,
  );
  bucket.refund(Math.max(0, requested - actual));
  const extensions = {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: bucket.status(),
    },
    ...(context.searchWarnings.length > 0 && {
      search: [{ path: [], query: "", warnings: context.searchWarnings }],
    }),
  };
  return {
    status: 200,
    headers,
    body: {
      ...(result.errors && {
        errors: result.errors.map((e) =>
          formatError(e, String(e.extensions.code ?? "INTERNAL_SERVER_ERROR")),
        ),
      }),
      data: result.data ?? null,
      extensions,
    },
  };
}

/** An armed ACCESS_DENIED: the first root field refused, as Shopify answers a missing scope or a
 * missing protected-customer-data approval. Only the objects' base cost is kept. */
function deniedReply(
  parsed: Parsed,
  fault: Fault,
  requested: number,
  bucket: Bucket,
  headers: Record<string, string>,
): JsonReply {
  const first = parsed.operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD,
  );
  const field = first?.kind === Kind.FIELD ? first.name.value : "query";
  const scope = fault.scope ?? "read_orders";
  const error: GraphQLFormattedError =
    fault.kind === "PROTECTED_CUSTOMER_DATA"
      ? {
          message:
            "This app is not approved to access the Customer object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
          path: [field],
          extensions: {
            code: "ACCESS_DENIED",
            documentation:
              "https://shopify.dev/docs/apps/launch/protected-customer-data",
          },
        }
      : {
          message: `Access denied for ${field} field. Required access: \`${scope}\` access scope.`,
          path: [field],
          extensions: {
            code: "ACCESS_DENIED",
            documentation: "https://shopify.dev/api/usage/access-scopes",
            requiredAccess: `\`${scope}\` access scope.`,
          },
        };
  bucket.refund(Math.max(0, requested - 1));
  return {
    status: 200,
    headers,
    body: {
      errors: [error],
      data: null,
      extensions: {
        cost: {
          requestedQueryCost: requested,
          actualQueryCost: 1,
          throttleStatus: bucket.status(),
        },
      },
    },
  };
}
