import { signLinkToken, type LinkTokenKeys } from './link-token.ts';
import { rewriteMessage } from './message-rewriter.ts';

/**
 * The gateway's link-rewriting hook (gateway/ports.ts, LinkRewriter), made of this capability's parts: one
 * recipient's body with its links rewritten (rewriteMessage) and the RFC 8058 one-click URL. The token's recipient
 * id is the recipient's index in the message's recipient list, as a decimal (link-token.ts): never the address.
 */

export interface RecipientRewrite {
  readonly messageId: string;
  readonly recipient: number;
  readonly clickHost: string;
  readonly clicks: boolean;
  readonly opens: boolean;
  /** The header block, ending in the CRLF of its last field. */
  readonly header: string;
  readonly body: Buffer;
}

export interface GatewayLinkRewriter {
  rewrite(input: RecipientRewrite): Buffer;
  unsubscribeUrl(clickHost: string, messageId: string, recipient: number): string;
}

export function gatewayLinkRewriter(keys: LinkTokenKeys): GatewayLinkRewriter {
  return {
    rewrite(input) {
      // The rewriter reads the header (MIME structure, List-Unsubscribe) and never changes it: the body is what
      // follows the same header and its empty line in the result.
      const head = Buffer.from(`${input.header}\r\n`, 'latin1');
      const result = rewriteMessage(Buffer.concat([head, input.body]), {
        clickHost: input.clickHost,
        keys,
        messageId: input.messageId,
        recipientId: String(input.recipient),
        clicks: input.clicks,
        openPixel: input.opens,
      });
      return result.parts.length === 0 ? input.body : result.message.subarray(head.length);
    },
    unsubscribeUrl(clickHost, messageId, recipient) {
      const token = signLinkToken(keys, {
        kind: 'unsubscribe',
        messageId,
        recipientId: String(recipient),
        linkIndex: 0,
        url: '',
      });
      return `https://${clickHost}/u/${token}`;
    },
  };
}
