// schema.prisma and the hand-written SQL migrations must describe the same
// database: the migrations are applied from nothing by the global setup, then
// every model and field of schema.prisma is checked against the live schema
// (columns, nullability, type family, unique keys) and used through the
// generated client.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { testDatabaseSettings, truncateAllTables, withConnection } from "../support/database.js";

interface FieldSpec {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  unique: boolean;
  autoIncrement: boolean;
  isRelation: boolean;
}

interface ModelSpec {
  name: string;
  table: string;
  fields: FieldSpec[];
  compositeUniques: string[][];
}

const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

function parseSchema(text: string): ModelSpec[] {
  const models: ModelSpec[] = [];
  const enums = new Set([...text.matchAll(/^enum\s+(\w+)/gm)].map((match) => match[1]!));
  for (const match of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, name, body] = match as unknown as [string, string, string];
    const fields: FieldSpec[] = [];
    const compositeUniques: string[][] = [];
    let table = name;
    for (const rawLine of body.split("\n")) {
      const line = rawLine.replace(/\/\/.*$/, "").trim();
      if (!line) continue;
      const mapMatch = /^@@map\("([^"]+)"\)/.exec(line);
      if (mapMatch) table = mapMatch[1]!;
      const uniqueMatch = /^@@unique\(\[([^\]]+)\]/.exec(line);
      if (uniqueMatch) compositeUniques.push(uniqueMatch[1]!.split(",").map((part) => part.trim()));
      if (line.startsWith("@@")) continue;
      const fieldMatch = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!fieldMatch) continue;
      const [, fieldName, type, list, optional, attributes] = fieldMatch as unknown as [string, string, string, string | undefined, string | undefined, string];
      const column = /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? fieldName;
      fields.push({
        name: fieldName,
        column,
        type,
        optional: Boolean(optional),
        list: Boolean(list),
        unique: /@unique\b/.test(attributes) || /@id\b/.test(attributes),
        autoIncrement: /@default\(autoincrement\(\)\)/.test(attributes),
        isRelation: !SCALARS.has(type) && !enums.has(type),
      });
    }
    models.push({ name, table, fields, compositeUniques });
  }
  return models;
}

const TYPE_FAMILIES: Record<string, string[]> = {
  String: ["varchar", "char", "text", "mediumtext", "longtext", "tinytext"],
  Int: ["int", "smallint", "mediumint", "tinyint"],
  BigInt: ["bigint"],
  Float: ["double", "float"],
  Decimal: ["decimal"],
  Boolean: ["tinyint", "bit"],
  DateTime: ["datetime", "timestamp", "date"],
  // MariaDB's JSON is an alias of LONGTEXT with a JSON_VALID check.
  Json: ["json", "longtext"],
  Bytes: ["blob", "longblob", "varbinary", "binary", "mediumblob"],
};

interface ColumnRow {
  name: string;
  nullable: string;
  dataType: string;
}

const models = parseSchema(readFileSync("prisma/schema.prisma", "utf8"));

describe("schema.prisma and the SQL migrations agree", () => {
  let prisma: PrismaClient;

  beforeAll(async () => {
    await truncateAllTables();
    prisma = createPrismaClient(testDatabaseSettings());
  });

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it("parses at least the inbox and token models (guards the parser itself)", () => {
    expect(models.map((model) => model.name)).toEqual(expect.arrayContaining(["WebhookDelivery", "ApiToken"]));
  });

  describe.each(models.map((model) => [model.name, model] as const))("model %s", (_name, model) => {
    it("has exactly the columns, nullability and types of its table", async () => {
      const columns = await withConnection(async (connection) => {
        const [rows] = await connection.query(
          "SELECT column_name AS name, is_nullable AS nullable, data_type AS dataType FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
          [model.table],
        );
        return rows as ColumnRow[];
      });
      expect(columns.length, `table ${model.table} exists`).toBeGreaterThan(0);
      const scalarFields = model.fields.filter((field) => !field.isRelation);
      expect(columns.map((column) => column.name).sort()).toEqual(scalarFields.map((field) => field.column).sort());
      for (const field of scalarFields) {
        const column = columns.find((candidate) => candidate.name === field.column)!;
        expect(column.nullable === "YES", `${model.table}.${field.column} nullable`).toBe(field.optional);
        expect(TYPE_FAMILIES[field.type] ?? [], `${model.table}.${field.column} type ${column.dataType}`).toContain(column.dataType.toLowerCase());
      }
    });

    it("has a unique index for every @unique, @id and @@unique", async () => {
      const indexes = await withConnection(async (connection) => {
        const [rows] = await connection.query(
          "SELECT index_name AS name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS columns FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND non_unique = 0 GROUP BY index_name",
          [model.table],
        );
        return (rows as Array<{ columns: string }>).map((row) => row.columns);
      });
      for (const field of model.fields.filter((candidate) => candidate.unique)) {
        expect(indexes, `${model.table}.${field.column} unique`).toContain(field.column);
      }
      for (const composite of model.compositeUniques) {
        const columns = composite.map((name) => model.fields.find((field) => field.name === name)?.column ?? name).join(",");
        expect(indexes, `${model.table} unique (${columns})`).toContain(columns);
      }
    });

    it("reads every field through the generated client", async () => {
      const delegate = (prisma as unknown as Record<string, { findMany(args: unknown): Promise<unknown[]> }>)[
        model.name.charAt(0).toLowerCase() + model.name.slice(1)
      ];
      expect(delegate, `prisma.${model.name} delegate`).toBeDefined();
      const select = Object.fromEntries(model.fields.filter((field) => !field.isRelation).map((field) => [field.name, true]));
      await expect(delegate!.findMany({ select, take: 1 })).resolves.toBeInstanceOf(Array);
    });
  });

  it("round-trips a row with every field set through the client (models without relations)", async () => {
    for (const model of models.filter((candidate) => candidate.fields.every((field) => !field.isRelation))) {
      const data: Record<string, unknown> = {};
      for (const field of model.fields) {
        if (field.list || field.autoIncrement) continue;
        data[field.name] = sampleValue(field);
      }
      const delegate = (prisma as unknown as Record<string, { create(args: unknown): Promise<Record<string, unknown>> }>)[
        model.name.charAt(0).toLowerCase() + model.name.slice(1)
      ]!;
      const created = await delegate.create({ data });
      for (const [key, value] of Object.entries(data)) {
        expect(normalise(created[key]), `${model.name}.${key}`).toEqual(normalise(value));
      }
    }
  });
});

let counter = 0;
function sampleValue(field: FieldSpec): unknown {
  counter += 1;
  switch (field.type) {
    case "String":
      return `${field.name.slice(0, 4)}${counter}`;
    case "Int":
      return counter;
    case "BigInt":
      return BigInt(1_000_000_000_000 + counter);
    case "Float":
      return counter + 0.5;
    case "Decimal":
      return "12.34";
    case "Boolean":
      return true;
    case "DateTime":
      return new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    case "Json":
      return { sample: counter, nested: ["a", 1] };
    case "Bytes":
      return new Uint8Array([0, 1, 254, 255, counter % 256]);
    default:
      return null;
  }
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return [...value];
  if (value !== null && typeof value === "object" && "toFixed" in (value as object)) return String(value);
  return value;
}
