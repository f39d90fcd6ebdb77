/** Writes schema/knp.schema.json from the engine's zod schemas: `npm run schema`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { knpJsonSchemaText } from '../src/engine/scenario/jsonSchema';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/knp.schema.json', knpJsonSchemaText());
process.stdout.write('wrote schema/knp.schema.json\n');
