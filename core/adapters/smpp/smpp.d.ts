/** The part of the untyped `smpp` package (0.5.x) that the connector and the simulator use. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A request or response; its fields are the SMPP parameter and TLV names. */
    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
      toBuffer(): Buffer;
    }

    class Session extends EventEmitter {
      socket: Socket;
      /** False when the socket is not writable: the PDU was not sent. */
      send(pdu: PDU, responseCallback?: (response: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
    }

    class Server extends NetServer {
      sessions: Session[];
    }

    interface MessageFilter {
      encode(value: unknown): unknown;
      decode(value: unknown, skipUdh?: boolean): unknown;
    }

    function connect(options: { host: string; port: number }, listener?: () => void): Session;
    function createServer(listener?: (session: Session) => void): Server;

    const filters: { message: MessageFilter };
    const errors: Record<string, number>;
  }

  export = smpp;
}
