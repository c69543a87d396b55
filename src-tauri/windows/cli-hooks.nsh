; The command line beside the app: `resettle.exe` in the install folder, removed again by
; the uninstaller. `cargo xtask bundle` stages the CLI in target/bundle-cli/ before the
; installer is made; the path below is relative to the installer script Tauri writes in
; target/<profile>/nsis/x64/. Not exercised by CI, which builds the .deb only.
!macro NSIS_HOOK_POSTINSTALL
  File "/oname=$INSTDIR\resettle.exe" "..\..\..\bundle-cli\resettle.exe"
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  Delete "$INSTDIR\resettle.exe"
!macroend
