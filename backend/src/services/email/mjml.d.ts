// Types minimaux de mjml 5 (le paquet n'en livre pas ; @types/mjml décrit la version 4, synchrone).
declare module 'mjml' {
  export interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    /** mj-include lirait des fichiers du serveur : toujours ignoré ici */
    ignoreIncludes?: boolean;
    keepComments?: boolean;
    beautify?: boolean;
    minify?: boolean;
  }
  export interface MjmlResult {
    html: string;
    errors: MjmlError[];
  }
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;
}
