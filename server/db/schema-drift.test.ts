import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "./pool.ts";

/**
 * schema.prisma is the source of truth, but the database is built by the SQL files in
 * prisma/migrations (applied by server/db/migrate.ts). This test fails when the two disagree:
 * a model or field the generated client would query that no migration created, a column whose
 * nullability, array-ness or type differs, an enum value missing, or a column a migration added
 * that the schema does not know about.
 */

type TRuntimeField = { name: string; kind: "scalar" | "enum" | "object"; type: string; dbName?: string };
type TRuntimeModel = { fields: TRuntimeField[]; dbName: string | null };
type TColumn = { table_name: string; column_name: string; is_nullable: "YES" | "NO"; data_type: string; udt_name: string };

type TSchemaField = { name: string; type: string; isOptional: boolean; isList: boolean; nativeType: string | null };

/** Just enough of the Prisma schema language: model/enum blocks and their field lines. */
function parsePrismaSchema(text: string) {
  const models = new Map<string, Map<string, TSchemaField>>();
  const enums = new Map<string, string[]>();
  const blocks = text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm);
  for (const [, kind, name, body] of blocks) {
    const lines = body!
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, "").trim())
      .filter((l) => l && !l.startsWith("@@"));
    if (kind === "enum") {
      enums.set(
        name!,
        lines.map((l) => l.split(/\s+/)[0]!),
      );
      continue;
    }
    const fields = new Map<string, TSchemaField>();
    for (const line of lines) {
      const m = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!m) throw new Error(`schema-drift: cannot read field line in model ${name}: ${line}`);
      const [, fieldName, type, list, optional, rest] = m;
      fields.set(fieldName!, { name: fieldName!, type: type!, isList: !!list, isOptional: !!optional, nativeType: rest!.match(/@db\.(\w+)/)?.[1] ?? null });
    }
    models.set(name!, fields);
  }
  return { models, enums };
}

/** Prisma scalar (+ @db native type) → information_schema udt_name. */
function expectedUdt(field: TSchemaField, enumNames: Set<string>): string {
  if (enumNames.has(field.type)) return field.type;
  const base: Record<string, string> = {
    Int: "int4",
    BigInt: "int8",
    String: "text",
    Boolean: "bool",
    Float: field.nativeType === "Real" ? "float4" : "float8",
    DateTime: field.nativeType === "Timestamp" ? "timestamp" : field.nativeType === "Date" ? "date" : "timestamptz",
    Json: "jsonb",
    Bytes: "bytea",
    Decimal: "numeric",
  };
  const udt = base[field.type];
  if (!udt) throw new Error(`schema-drift: no mapping for Prisma type ${field.type}`);
  return field.nativeType === "VarChar" ? "varchar" : udt;
}

const schema = parsePrismaSchema(readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8"));
let runtimeModels: Record<string, TRuntimeModel>;
let columns: Map<string, Map<string, TColumn>>;
let enumValues: Map<string, string[]>;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // The generated client's own view of the data model: what it will actually query.
  runtimeModels = (testDb.prisma as unknown as { _runtimeDataModel: { models: Record<string, TRuntimeModel> } })._runtimeDataModel.models;
  const pool = getPool(testDb.url);
  const cols = await pool.query<TColumn>(
    `SELECT table_name, column_name, is_nullable, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  columns = new Map();
  for (const c of cols.rows) {
    if (!columns.has(c.table_name)) columns.set(c.table_name, new Map());
    columns.get(c.table_name)!.set(c.column_name, c);
  }
  const en = await pool.query<{ typname: string; labels: string[] }>(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  enumValues = new Map(en.rows.map((r) => [r.typname, r.labels]));
});

afterAll(async () => {
  await testDb?.drop();
});

describe("schema drift: prisma/schema.prisma and the generated client vs the migrated database", () => {
  it("the generated client is up to date with schema.prisma (run `npx prisma generate` if not)", () => {
    expect(Object.keys(runtimeModels).sort()).toEqual([...schema.models.keys()].sort());
    for (const [model, fields] of schema.models) {
      const generated = runtimeModels[model]!.fields.map((f) => f.name).sort();
      expect(generated, model).toEqual([...fields.keys()].sort());
    }
  });

  it("every model is a table and every scalar field a column with matching nullability, list-ness and type", () => {
    const problems: string[] = [];
    const enumNames = new Set(schema.enums.keys());
    for (const [modelName, model] of Object.entries(runtimeModels)) {
      const table = model.dbName ?? modelName;
      const tableColumns = columns.get(table);
      if (!tableColumns) {
        problems.push(`model ${modelName}: table "${table}" does not exist`);
        continue;
      }
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        const column = field.dbName ?? field.name;
        const actual = tableColumns.get(column);
        const declared = schema.models.get(modelName)?.get(field.name);
        if (!actual) {
          problems.push(`${modelName}.${field.name}: column "${table}"."${column}" does not exist`);
          continue;
        }
        if (!declared) continue;
        const isNullable = actual.is_nullable === "YES";
        // Prisma's own migrations create scalar lists (Int[]) as nullable columns, and lists cannot be `?`.
        const expectsNullable = declared.isOptional || declared.isList;
        if (isNullable !== expectsNullable) {
          problems.push(
            `${modelName}.${field.name}: schema says ${declared.isOptional ? "optional" : "required"}, column is ${isNullable ? "NULL" : "NOT NULL"}`,
          );
        }
        const isArray = actual.data_type === "ARRAY";
        if (isArray !== declared.isList) problems.push(`${modelName}.${field.name}: schema list=${declared.isList}, column array=${isArray}`);
        const udt = isArray ? actual.udt_name.replace(/^_/, "") : actual.udt_name;
        const want = expectedUdt(declared, enumNames);
        if (udt !== want) problems.push(`${modelName}.${field.name}: expected ${want}, column is ${udt}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("no migration added a column the schema does not declare", () => {
    const problems: string[] = [];
    for (const [modelName, model] of Object.entries(runtimeModels)) {
      const table = model.dbName ?? modelName;
      const known = new Set(model.fields.filter((f) => f.kind !== "object").map((f) => f.dbName ?? f.name));
      for (const column of columns.get(table)?.keys() ?? []) {
        if (!known.has(column)) problems.push(`"${table}"."${column}" exists in the database but not in model ${modelName}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every enum exists with exactly the schema's values", () => {
    for (const [name, values] of schema.enums) {
      expect(enumValues.get(name), `enum ${name}`).toEqual(values);
    }
  });

  it("the parser reads optional, list and native-type fields (guards the guard)", () => {
    const excerpt = schema.models.get("Excerpt")!;
    expect(excerpt.get("externalId")).toMatchObject({ isOptional: true, isList: false, type: "String" });
    expect(excerpt.get("text")).toMatchObject({ isOptional: false });
    expect(schema.models.get("Prediction")!.get("probs")).toMatchObject({ isList: true, nativeType: "Real" });
    expect(schema.enums.get("Role")).toContain("moderator");
  });
});
