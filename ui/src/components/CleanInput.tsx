// A text input for IDs, secrets and URLs that cleans what is pasted into it (and what is left
// in it on blur): surrounding spaces, line breaks and quotes go.
import type { ClipboardEvent, InputHTMLAttributes } from "react";
import { cleanPastedValue } from "../lib/cleanPaste";

type NativeProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onPaste">;

interface CleanInputProps extends NativeProps {
  value: string;
  onValueChange: (value: string) => void;
  testId: string;
}

export function CleanInput({ value, onValueChange, testId, onBlur, className, ...rest }: CleanInputProps) {
  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    event.preventDefault();
    const input = event.currentTarget;
    const start = input.selectionStart ?? value.length;
    const end = input.selectionEnd ?? value.length;
    const next = cleanPastedValue(value.slice(0, start) + cleanPastedValue(pasted) + value.slice(end));
    onValueChange(next);
  }

  return (
    <input
      type="text"
      autoComplete="off"
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      {...rest}
      className={className ?? "input"}
      data-testid={testId}
      value={value}
      onChange={(event) => onValueChange(event.target.value)}
      onPaste={onPaste}
      onBlur={(event) => {
        const cleaned = cleanPastedValue(value);
        if (cleaned !== value) onValueChange(cleaned);
        onBlur?.(event);
      }}
    />
  );
}
