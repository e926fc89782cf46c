// The globals the dsl uses that are not part of the language: every browser and Node >= 20 provide
// them. Declared here, not taken from lib.dom or @types/node, so that a DOM-only or Node-only
// global in the dsl is a type error (the designer and the CLI both run this code).

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};

declare function structuredClone<T>(value: T): T;
