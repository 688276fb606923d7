/**
 * The yaml package, loaded when a YAML file is first read or written: the one place that
 * loads it lazily (most runs never touch YAML; the fast lane's copy is dist/vendor/yaml.cjs).
 */
export const loadYaml = (): Promise<typeof import('yaml')> => import('yaml');
