import { parsePointer } from '../../../interpreter/model';

/** A JSON pointer as a yaml-package path: list indexes become numbers. */
export function yamlPath(pointer: string): (string | number)[] {
  return parsePointer(pointer).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}
