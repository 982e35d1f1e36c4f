import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";

/** The JSON Schemas of verify's reports, compiled once (a real JSON Schema validator: ajv). */
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const schemaFile = path.join(__dirname, "..", "..", "verify", "report.schema.json");
ajv.addSchema(JSON.parse(fs.readFileSync(schemaFile, "utf8")), "verify-report");

export const validateReport = ajv.getSchema("verify-report")!;
