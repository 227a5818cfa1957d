// Custom properties in React's style prop (`style={{ "--s": 12 }}`): React sets them as given, with no unit.
import "react";

declare module "react" {
  interface CSSProperties {
    [variable: `--${string}`]: string | number | undefined;
  }
}
