import { MessageSeals, type LinkTokenKeys } from './link-token.ts';
import { prepareRewrite, type RewriteTemplate } from './message-rewriter.ts';

/**
 * The gateway's link-rewriting hook (gateway/ports.ts, LinkRewriter), made of this capability's parts: per message,
 * a rewrite template (prepareRewrite: the MIME walk, the tokenizer and the links' seals, once) and then each
 * recipient's body from it, and the RFC 8058 one-click URL. The token's recipient id is the recipient's index in the
 * message's recipient list, as a decimal (link-token.ts): never the address.
 */

export interface MessageRewriteInput {
  readonly messageId: string;
  readonly clickHost: string;
  readonly clicks: boolean;
  readonly opens: boolean;
  /** The header block, ending in the CRLF of its last field. */
  readonly header: string;
  readonly body: Buffer;
}

export interface GatewayMessageRewrite {
  body(recipient: number): Buffer;
  unsubscribeUrl(recipient: number): string;
}

export interface GatewayLinkRewriter {
  forMessage(input: MessageRewriteInput): GatewayMessageRewrite;
}

export function gatewayLinkRewriter(keys: LinkTokenKeys): GatewayLinkRewriter {
  return {
    forMessage(input) {
      // The rewriter reads the header (MIME structure, List-Unsubscribe) and never changes it: the body is what
      // follows the same header and its empty line in the result.
      const head = Buffer.from(`${input.header}\r\n`, 'latin1');
      let template: RewriteTemplate | null = null;
      let unsubscribe: { seals: MessageSeals; link: ReturnType<MessageSeals['seal']> } | null = null;
      return {
        body(recipient) {
          template ??= prepareRewrite(Buffer.concat([head, input.body]), {
            clickHost: input.clickHost,
            keys,
            messageId: input.messageId,
            clicks: input.clicks,
            openPixel: input.opens,
          });
          const result = template.copy(String(recipient));
          return result.parts.length === 0 ? input.body : result.message.subarray(head.length);
        },
        unsubscribeUrl(recipient) {
          if (unsubscribe === null) {
            const seals = new MessageSeals(keys, input.messageId);
            unsubscribe = { seals, link: seals.seal('unsubscribe', 0, '') };
          }
          const [token] = unsubscribe.seals.forRecipient(String(recipient)).tokens([unsubscribe.link]);
          return `https://${input.clickHost}/u/${token}`;
        },
      };
    },
  };
}
