// Reading a script's parameter schema (pydantic's JSON Schema) into what its form needs per field.

// `$ref: "#/$defs/Name"` resolved against the schema's own definitions; other references stay as they are.
export function resolve(node, root) {
  let current = node || {};
  for (let hops = 0; current.$ref && hops < 20; hops += 1) {
    const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
    const target = match && root.$defs ? root.$defs[match[1]] : undefined;
    if (!target) break;
    const { $ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

const isNull = (node) => node.type === 'null';

// One parameter: its control kind and everything the control shows (bounds, choices, items).
export function describeParam(name, node, root, required) {
  let schema = resolve(node, root);
  let nullable = false;
  const variants = schema.anyOf || schema.oneOf;
  if (variants) {
    const resolved = variants.map((variant) => resolve(variant, root));
    nullable = resolved.some(isNull);
    const others = resolved.filter((variant) => !isNull(variant));
    if (others.length === 1) {
      schema = { ...others[0], ...withoutVariants(schema) };
    } else if (others.length && others.every((variant) => 'const' in variant)) {
      schema = { ...withoutVariants(schema), enum: others.map((variant) => variant.const) };
    } else {
      schema = { ...withoutVariants(schema), kind: 'json' };
    }
  }
  if (Array.isArray(schema.type)) {
    nullable = nullable || schema.type.includes('null');
    const types = schema.type.filter((type) => type !== 'null');
    schema = { ...schema, type: types.length === 1 ? types[0] : undefined };
  }
  const param = {
    name,
    title: node.title || schema.title || name,
    description: node.description || schema.description || '',
    required,
    nullable,
    hasDefault: 'default' in node || 'default' in schema,
    default: 'default' in node ? node.default : schema.default,
    kind: kindOf(schema, root),
  };
  if (param.kind === 'enum') param.choices = schema.enum || [schema.const];
  if (param.kind === 'integer' || param.kind === 'number') Object.assign(param, bounds(schema));
  if (param.kind === 'string') Object.assign(param, { minLength: schema.minLength, maxLength: schema.maxLength });
  if (param.kind === 'array') {
    param.item = describeParam('item', schema.items || {}, root, true);
    param.minItems = schema.minItems;
    param.maxItems = schema.maxItems;
  }
  if (param.kind === 'map') param.value = describeParam('value', schema.additionalProperties, root, true);
  return param;
}

function withoutVariants(schema) {
  const { anyOf, oneOf, ...rest } = schema;
  return rest;
}

function kindOf(schema, root) {
  if (schema.kind) return schema.kind;
  if (Array.isArray(schema.enum) || 'const' in schema) return 'enum';
  switch (schema.type) {
    case 'boolean': return 'boolean';
    case 'integer': return 'integer';
    case 'number': return 'number';
    case 'string': return 'string';
    case 'array': {
      const item = resolve(schema.items || {}, root);
      return isSimple(item) ? 'array' : 'json';
    }
    case 'object': {
      const value = schema.additionalProperties;
      if (!schema.properties && value && typeof value === 'object' && isSimple(resolve(value, root))) return 'map';
      return 'json';
    }
    default: return 'json';
  }
}

// Values one text box or select can hold: lists and maps of these get a row per entry.
function isSimple(schema) {
  return Array.isArray(schema.enum) || ['string', 'integer', 'number', 'boolean'].includes(schema.type);
}

function bounds(schema) {
  return {
    minimum: schema.minimum ?? schema.exclusiveMinimum,
    maximum: schema.maximum ?? schema.exclusiveMaximum,
    exclusiveMinimum: schema.exclusiveMinimum !== undefined,
    exclusiveMaximum: schema.exclusiveMaximum !== undefined,
    multipleOf: schema.multipleOf,
  };
}

// The parameters of a script's schema in the order the function declares them.
export function paramsOf(schema) {
  const required = new Set(schema.required || []);
  return Object.entries(schema.properties || {})
    .map(([name, node]) => describeParam(name, node, schema, required.has(name)));
}
